// One inner L21 solve on a subset of G's columns, the native half of MNE's mixed_norm_solver:
// the active-set loop, the full-problem duality gap and irMxNE's reweighting are TypeScript
// (lib/sparse/activeSet.ts, iterativeMixedNormSolver.ts); this forms the subset's Gram
// matrix and block Lipschitz constants with BLAS/LAPACK and runs the BCD or CD epochs on it.
#pragma once
#include <vector>

#include "control.h"
#include "kernels.h"
#include "status.h"

namespace mxne {

struct InnerSolveArgs {
  int m, n, T;
  const double* G;     // m x n, column-major
  const double* GtMt;  // (Gᵀ M)ᵀ, T x n
  const int* cols;     // the a columns to solve on, ascending, whole blocks of nOrient
  int a;
  double normM2, alpha, tol;
  int maxit, dgapFreq, nOrient;
  bool cd;  // scikit-learn's coordinate descent (nOrient 1) instead of BCD with Anderson
};

// Xt (T x a): the warm start on entry, the solution on return. E receives the primal objective at
// each gap check.
Status InnerSolve(const InnerSolveArgs& args, const Control& control, double* Xt, L21Outcome* out, std::vector<double>* E);

}  // namespace mxne
