// One Gamma-MAP iteration's linear algebra (MNE 1.3 _gamma_map_opt), pure C++ over BLAS/LAPACKE.
// The loop, pruning, group averaging and stopping rule live in lib/sparse/gammaMap/.
#pragma once
#include "status.h"

namespace mxne {

struct GammaMapStepOut {
  double* numer;   // k: gammas² · mean_t(A²) (mode 1) or gammas · sqrt(mean_t(A²)) (mode 2)
  double* denom;   // k: gammas · Σ_i G∘(CM⁻¹G) (mode 1) or Σ_i G∘(CM⁻¹G) (mode 2, sqrt left to the caller)
  double* A;       // k x T: (CM⁻¹G)ᵀ M, the posterior mean divided by the gammas
  bool* eighFallback;  // set when dgesdd failed to converge and dsyevd inverted CM instead
};

// CM = G diag(gammas) Gᵀ + alpha I (n x n), inverted as U diag(1/(s + eps)) Uᵀ from dgesdd, as MNE
// does; when dgesdd does not converge (info > 0) the same inverse comes from dsyevd (CM is
// symmetric positive definite, so its eigen- and singular decompositions coincide).
// G: n x k, M: n x T, column-major.
Status GammaMapStep(int n, int k, int T, const double* G, const double* M, const double* gammas, double alpha,
                    int updateMode, const GammaMapStepOut& out);

}  // namespace mxne
