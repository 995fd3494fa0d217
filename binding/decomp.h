// Pure LAPACK-level decompositions and solves on packed column-major matrices (leading dimension =
// rows). No N-API: the exports validate everything first (sizes, finiteness, no aliasing), so these
// assume consistent sizes. Inputs are never modified: each kernel works on its own copy.
#pragma once
#include <cstddef>

#include "status.h"

namespace mxne {

// Symmetric eigendecomposition with dsyevd (lower triangle of A, n x n): w ascending (n),
// V (n x n) with column j the eigenvector of w[j].
Status Eigh(int n, const double* A, double* w, double* V);

// Thin SVD with dgesdd jobz 'S': A (m x n) = U diag(s) Vt, k = min(m, n), U m x k, s k (descending),
// Vt k x n.
Status Svd(int m, int n, const double* A, double* U, double* s, double* Vt);

// Singular values only (dgesdd jobz 'N'), k = min(m, n), descending.
Status SvdValues(int m, int n, const double* A, double* s);

// Cholesky factor with dpotrf: A (n x n, lower triangle read) = L L^T, strict upper part of L zeroed.
// Not positive definite -> Status with info = the failing pivot (1-based).
Status Cholesky(int n, const double* A, double* L);

// X (n x nrhs) = A^{-1} B for symmetric positive definite A (dposv, lower triangle of A read).
Status SolveSpd(int n, int nrhs, const double* A, const double* B, double* X);

// Minimum-norm least squares with dgelsd: X (n x nrhs) minimises ||A X - B||, A m x n, B m x nrhs.
// Singular values below rcond * s_max count as zero (rcond < 0: machine precision).
Status Lstsq(int m, int n, int nrhs, const double* A, const double* B, double rcond, double* X);

// y = alpha * op(A) x + beta * y with dgemv; A is rows x cols, op(A) = A^T when trans.
Status Gemv(bool trans, int rows, int cols, const double* A, const double* x, double alpha, double beta, double* y);

}  // namespace mxne
