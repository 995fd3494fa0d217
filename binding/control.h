// A long job's link back to JavaScript, seen by the kernels: a cancellation cell that JS sets
// (Atomics.store on an Int32Array, from an AbortSignal or at process exit) and the kernels read
// between epochs. Progress is reported by the TypeScript loops around the jobs.
#pragma once
#include <cstdint>

namespace mxne {

struct Control {
  const int32_t* cancel = nullptr;
  bool Cancelled() const { return cancel != nullptr && __atomic_load_n(cancel, __ATOMIC_RELAXED) != 0; }
};

}  // namespace mxne
