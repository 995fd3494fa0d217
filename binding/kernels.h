// The L21 solvers' inner loops on an active set, in Gram form (see lib/sparse/mixedNormSolver.ts for the
// algorithm and why each MNE quirk is kept). Pure C++ over BLAS/LAPACKE, no N-API: the exports
// validate every argument first. Layout: GtG is a x a (column-major, symmetric), GtMt and Xt are
// T x a column-major, i.e. source rows stored contiguously (row j of X = column j of Xt).
#pragma once
#include <vector>

#include "control.h"
#include "status.h"

namespace mxne {

struct L21Problem {
  int a, T, nOrient;
  const double* GtG;
  const double* GtMt;
  double normM2;
};

struct L21Run {
  double alpha, tol;
  int maxit, dgapFreq;
  const double* lipschitz;  // per block (bcd); unused by cd
  bool anderson;            // bcd only
  const Control* control;   // cancellation, checked before every epoch
};

struct L21Outcome {
  double gap = 0;
  bool converged = false;
  int epochs = 0;
};

// MNE's _mixed_norm_solver_bcd. Xt holds the warm start on entry (zeros for none) and the
// solution on return; the primal at each gap check is appended to E (sized by the checks made,
// never by maxit: maxit may be huge).
Status BcdGram(const L21Problem& p, const L21Run& r, double* Xt, std::vector<double>* E, L21Outcome* out);

// scikit-learn's enet_coordinate_descent_multi_task (MNE's solver='cd'), nOrient = 1.
Status CdGram(const L21Problem& p, const L21Run& r, double* Xt, L21Outcome* out);

// MNE's _normal_orth for n unit normals (3n values): per normal, dsyevd of I - n n^T (as numpy's
// eigh), rows (t1, t2, n') in descending eigenvalue order, signed so n' points along n. Writes
// 9 values per normal, row-major.
Status NormalOrth(int n, const double* normals, double* out);

// Rotates each source's 3 gain columns into the basis rows given per source (9 values, row-major):
// out column 3k + r = sol columns 3k..3k+2 · basis_k[r]. `fixed`: only the last row (the normal),
// one column per source, rounded to float32 as MNE stores a fixed-orientation gain.
void RotateSources(int nchan, int ns, const double* sol, const double* basis, bool fixed, double* out);

// MNE's compute_bias (lib/sparse/computeBias.ts): n active rows, T times. GtG = GᵀG (n x n),
// GtM = GᵀM (n x T), X (n x T), CCT = X Xᵀ (n x n), B (n x n) the power iteration's start
// (numpy RandomState(0) draws, drawn by the caller). Writes the n debiasing factors to D, the
// FISTA iterations run to *iterations and whether |ΔD| fell below tol to *converged.
Status ComputeBias(int n, int T, int nOrient, const double* GtG, const double* GtM, const double* X, const double* CCT,
                   const double* B, int maxIter, double tol, const Control& control, double* D, int* iterations,
                   bool* converged);

// compute_bias from the data: M (m x T), GA (m x n, the active columns), X (n x T); GtG, GtM and
// X Xᵀ formed here as MNE forms them.
Status ComputeBiasFromData(int m, int n, int T, const double* M, const double* GA, const double* X, const double* B,
                           int maxIter, double tol, int nOrient, const Control& control, double* D, int* iterations,
                           bool* converged);

// Squared norm of each column of A (rows x cols) into out, and scaling of column j by s[j].
void ColumnNorms2(int rows, int cols, const double* A, double* out);
void ScaleColumns(int rows, int cols, double* A, const double* s);
// Scaling of row i by s[i]; out[i] = sum_j (A[i, j] s[j])^2 (columns with s[j] = 0 skipped).
void ScaleRows(int rows, int cols, double* A, const double* s);
void RowNorms2Scaled(int rows, int cols, const double* A, const double* s, double* out);
// out (rows x n) = the columns cols[0..n) of A (rows x ?), in that order; A[k] /= d for every k < n.
void GatherColumns(int rows, const double* A, const double* cols, int n, double* out);
void DivideInPlace(size_t n, double* A, double d);

// Widens a big-endian float32 (width 4) or float64 (width 8) column-major matrix of n rows and
// ncol columns from `src` into rows rowOffset.. of `out` (outRows rows, column-major). Returns the
// number of non-finite values met.
size_t WidenBigEndian(const unsigned char* src, int width, int n, int ncol, double* out, int outRows, int rowOffset);

// MNE's minimum-norm depth sensitivity in float32 (lib/inverse/depthPriorMne.ts): per source k of a
// free-orientation gain G (nrow x 3ns), the 3x3 Gram over the given rows accumulated in float32
// channel by channel, and its largest eigenvalue, rounded to float32, into d[k].
void DepthGramsF32(int nrow, int ns, const double* G, const double* rows, int nr, double* d);

// The same rotation in place on A (rows x 3ns), e.g. on a whitened gain: (W·G)·R = W·(G·R). With
// `norms2`, also the squared norm of every rotated column (3ns values), in the same pass.
void RotateSourcesInPlace(int rows, int ns, double* A, const double* basis, double* norms2);

}  // namespace mxne
