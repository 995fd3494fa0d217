// One Gamma-MAP iteration's linear algebra (MNE 1.3 _gamma_map_opt), pure C++ over BLAS/LAPACKE.
// The loop, pruning, group averaging and stopping rule live in lib/sparse/gammaMap/.
#pragma once
#include <cstddef>

#include "status.h"

namespace mxne {

struct GammaMapStepOut {
  double* numer;   // k: gammas² · mean_t(A²) (mode 1) or gammas · sqrt(mean_t(A²)) (mode 2)
  double* denom;   // k: gammas · Σ_i G∘(CM⁻¹G) (mode 1) or Σ_i G∘(CM⁻¹G) (mode 2, sqrt left to the caller)
  double* A;       // k x T: Gᵀ CM⁻¹ M, the posterior mean divided by the gammas
  bool* eighFallback;  // set when CM was not numerically positive definite and dsyevd inverted it instead
};

// CM = G diag(gammas) Gᵀ + alpha I (n x n) is symmetric positive definite (alpha > 0): it is formed
// by SYRK and factored by Cholesky, CM = L Lᵀ, and one triangular solve each on G and M gives
// everything the update needs (2 n² k flops for the gain where MNE's np.dot, dgesdd, explicit inverse
// U diag(1/(s + eps)) Uᵀ and CM⁻¹G cost 4 n² k + ~20 n³; s ≥ alpha makes MNE's eps a rounding-level
// change). When the factorisation fails (CM not numerically positive definite), MNE's inverse is
// formed from dsyevd instead (eigen- and singular decompositions of a symmetric PSD matrix
// coincide; unlike dgesdd, which MNE sees fail on one fixture case, it does not fail to converge
// in practice).
// G: n x k, M: n x T, column-major. work: GammaMapWorkLength(n, k, T) doubles the caller keeps
// across iterations (a gain's worth per iteration, allocated here, stayed in the malloc arenas of
// the threads that ran the steps: ~50 MB of peak RSS on a 2,700-source solve).
inline size_t GammaMapWorkLength(int n, int k, int T) { return size_t(n) * (size_t(k) + n + T) + k; }
Status GammaMapStep(int n, int k, int T, const double* G, const double* M, const double* gammas, double alpha,
                    int updateMode, double* work, const GammaMapStepOut& out);

}  // namespace mxne
