// The native half of MNE's mixed_norm_solver: one inner L21 solve on a subset of G's columns
// (the subset's Gram matrix and block Lipschitz constants with BLAS/LAPACK, then BCD or CD epochs
// on it), and the residual pieces of the full-problem duality gap. The active-set loop, the gap
// itself and irMxNE's reweighting are TypeScript (lib/sparse/activeSet.ts, residual.ts,
// iterativeMixedNormSolver.ts).
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

struct ResidualArgs {
  int m, n, T;
  const double* M;     // m x T
  const double* G;     // m x n, column-major
  const double* GtMt;  // (Gᵀ M)ᵀ, T x n: lets GᵀR be formed from the active columns' Gram (null: directly)
  const int* cols;     // the a columns X lives on
  int a;
  const double* Xt;    // X transposed, T x a
  int nOrient;
  bool sumR2 = true;   // false: ‖R‖² is known to the caller (‖M‖² with no columns), not summed again
};

struct ResidualOut {
  double normR2 = 0;  // ‖R‖²_F
  double xGtR = 0;    // ⟨X, (GᵀR)[:, cols]⟩
};

// R (m x T) = M − G[:, cols]·X and ‖R‖²; with norms2 also the squared norm of each of the n / nOrient
// blocks of GᵀR and ⟨X, (GᵀR)[:, cols]⟩, and GᵀR itself (transposed, T x n) into GtRt unless it is
// null — every sum in index order. R may be null: then it is not written out (with no columns R = M).
// Without sumR2, normR2 is NaN and non-finite inputs show in the block norms alone.
Status SparseResidual(const ResidualArgs& args, double* R, double* GtRt, double* norms2, ResidualOut* out);

}  // namespace mxne
