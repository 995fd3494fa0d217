// A long solve's link back to JavaScript, seen by the kernels: a cancellation cell that JS sets
// (Atomics.store on an Int32Array, from an AbortSignal or at process exit) and the kernels read
// between epochs, and a progress report the job forwards through a thread-safe function.
#pragma once
#include <cstdint>
#include <functional>

namespace mxne {

struct Progress {
  int outer = 0;   // active-set (MxNE) or reweighting (irMxNE) iterations so far
  int epochs = 0;  // BCD / CD sweeps so far
  double gap = 0;  // the last duality gap computed
};

struct Control {
  const int32_t* cancel = nullptr;
  std::function<void(const Progress&)> report;
  bool Cancelled() const { return cancel != nullptr && __atomic_load_n(cancel, __ATOMIC_RELAXED) != 0; }
  void Report(const Progress& p) const {
    if (report) report(p);
  }
};

}  // namespace mxne
