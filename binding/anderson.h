// Anderson extrapolation as MNE 1.3's BCD does it (mxne_optim._mixed_norm_solver_bcd, after
// Bertrand & Massias 2021): keep the last K + 1 iterates; every K + 1 epochs, solve for the
// affine combination of the iterates that minimises the norm of their differences and offer it
// as a candidate. The solver decides whether to take it (MNE: only when it lowers the objective).
#pragma once
#include <cstddef>
#include <vector>

namespace mxne {

class AndersonRing {
 public:
  static constexpr int kDepth = 5;  // K: MNE's K = 5

  explicit AndersonRing(size_t n) : ring_(kDepth + 1, std::vector<double>(n)) {}

  // Records epoch `epoch`'s iterate X (n values). On every (K + 1)-th epoch, writes the
  // extrapolated candidate to `candidate` and returns true, unless the differences are too
  // ill-conditioned (smallest/largest eigenvalue of their Gram ≤ 1e-6), where MNE skips the step.
  bool Push(int epoch, const double* X, double* candidate);

 private:
  bool Weights(double* c) const;
  void GramOfDifferences(double* S) const;
  std::vector<std::vector<double>> ring_;
};

}  // namespace mxne
