// MNE's mixed_norm_solver (active-set driver) and iterative_mixed_norm_solver (irMxNE), in C++
// around the inner kernels of kernels.h, so a whole solve is one job off the main thread.
// Debiasing is the caller's own step (ComputeBiasFromData), after the solve. Step for
// step the TypeScript reference it replaced (see lib/sparse/mixedNormSolver.ts for the algorithm).
#pragma once
#include <vector>

#include "control.h"
#include "status.h"

namespace mxne {

struct L21Options {
  int maxit = 3000;
  double tol = 0;
  int activeSetSize = 10;  // <= 0: no active-set strategy (all columns at once)
  int nOrient = 1;
  bool cd = false;  // scikit-learn's coordinate descent instead of BCD (nOrient 1)
  int dgapFreq = 10;
};

struct L21Result {
  std::vector<int> active;    // active columns of G, ascending
  std::vector<double> X;      // active.size() x T, column-major
  std::vector<double> E;      // objective per outer iteration (MxNE) or reweighting (irMxNE)
  std::vector<std::vector<int>> history;  // irMxNE: active columns after each reweighting
  double gap = 0;
  bool converged = false;
  int epochs = 0;
  int outer = 0;  // active-set iterations (MxNE) or reweightings (irMxNE)
};

// G is m x n, M is m x T (column-major). GtMt: (Gᵀ M)ᵀ, T x n, when the caller has it (SURE reuses
// it over its alpha grid), else nullptr. weightInit (n values) or nullptr for irMxNE's ones.
Status MixedNormSolve(int m, int n, int T, const double* M, const double* G, const double* GtMt, double alpha, const L21Options& o,
                      const Control& control, L21Result* r);
Status IterativeMixedNormSolve(int m, int n, int T, const double* M, const double* G, double alpha, int nMxneIter,
                               const L21Options& o, const double* weightInit, const Control& control, L21Result* r);

}  // namespace mxne
