#include "decomp.h"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <memory>
#include <new>
#include <string>

namespace mxne {

namespace {

int Ld(int rows) { return std::max(rows, 1); }  // LAPACK wants ld >= 1 even for empty matrices

size_t Count(int rows, int cols) { return static_cast<size_t>(rows) * static_cast<size_t>(cols); }

// Scratch copy owned by the kernel; nullptr when the allocation fails (no exceptions cross N-API).
std::unique_ptr<double[]> Scratch(size_t n) { return std::unique_ptr<double[]>(new (std::nothrow) double[std::max<size_t>(n, 1)]); }

Status OutOfMemory(const char* routine) { return Status::Fail(std::string(routine) + ": out of memory for the workspace"); }

// LAPACKE's high-level drivers report a failed workspace allocation as LAPACK_WORK_MEMORY_ERROR.
Status Checked(const char* routine, lapack_int info) {
  if (info == LAPACK_WORK_MEMORY_ERROR || info == LAPACK_TRANSPOSE_MEMORY_ERROR) return OutOfMemory(routine);
  return Status::Lapack(routine, info);
}

Status NotPositiveDefinite(const char* routine, lapack_int info) {
  return Status{info, std::string(routine) + ": matrix is not positive definite (pivot " + std::to_string(info) +
                          ": the leading minor of order " + std::to_string(info) + " is not positive)"};
}

}  // namespace

Status Eigh(int n, const double* A, double* w, double* V) {
  if (n == 0) return Status::Ok();
  std::copy(A, A + Count(n, n), V);
  return Checked("dsyevd", LAPACKE_dsyevd(LAPACK_COL_MAJOR, 'V', 'L', n, V, Ld(n), w));
}

Status Svd(int m, int n, const double* A, double* U, double* s, double* Vt) {
  const int k = std::min(m, n);
  if (k == 0) return Status::Ok();  // U is m x 0, s and Vt are empty
  std::unique_ptr<double[]> a = Scratch(Count(m, n));  // dgesdd destroys its input
  if (!a) return OutOfMemory("dgesdd");
  std::copy(A, A + Count(m, n), a.get());
  return Checked("dgesdd", LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'S', m, n, a.get(), Ld(m), s, U, Ld(m), Vt, Ld(k)));
}

Status SvdValues(int m, int n, const double* A, double* s) {
  const int k = std::min(m, n);
  if (k == 0) return Status::Ok();
  std::unique_ptr<double[]> a = Scratch(Count(m, n));  // dgesdd destroys its input
  if (!a) return OutOfMemory("dgesdd");
  std::copy(A, A + Count(m, n), a.get());
  return Checked("dgesdd", LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', m, n, a.get(), Ld(m), s, nullptr, 1, nullptr, 1));
}

Status Cholesky(int n, const double* A, double* L) {
  if (n == 0) return Status::Ok();
  std::copy(A, A + Count(n, n), L);
  const lapack_int info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', n, L, Ld(n));
  if (info > 0) return NotPositiveDefinite("dpotrf", info);
  if (info != 0) return Checked("dpotrf", info);
  for (int j = 1; j < n; ++j) std::fill(L + Count(j, n), L + Count(j, n) + j, 0.0);  // rows 0..j-1 of column j
  return Status::Ok();
}

Status SolveSpd(int n, int nrhs, const double* A, const double* B, double* X) {
  if (n == 0) return Status::Ok();
  std::unique_ptr<double[]> a = Scratch(Count(n, n));  // dposv overwrites A with its factor
  if (!a) return OutOfMemory("dposv");
  std::copy(A, A + Count(n, n), a.get());
  std::copy(B, B + Count(n, nrhs), X);
  const lapack_int info = LAPACKE_dposv(LAPACK_COL_MAJOR, 'L', n, nrhs, a.get(), Ld(n), X, Ld(n));
  if (info > 0) return NotPositiveDefinite("dposv", info);
  return Checked("dposv", info);
}

Status Lstsq(int m, int n, int nrhs, const double* A, const double* B, double rcond, double* X) {
  if (n == 0 || nrhs == 0) return Status::Ok();
  if (m == 0) {  // no equations: the minimum-norm solution is 0
    std::fill(X, X + Count(n, nrhs), 0.0);
    return Status::Ok();
  }
  const int ldb = std::max(m, n);  // dgelsd returns X (n x nrhs) in a B of max(m, n) rows
  std::unique_ptr<double[]> a = Scratch(Count(m, n));
  std::unique_ptr<double[]> b = Scratch(Count(ldb, nrhs));
  std::unique_ptr<double[]> s = Scratch(static_cast<size_t>(std::min(m, n)));
  if (!a || !b || !s) return OutOfMemory("dgelsd");
  std::copy(A, A + Count(m, n), a.get());
  for (int j = 0; j < nrhs; ++j) {
    std::copy(B + Count(j, m), B + Count(j + 1, m), b.get() + Count(j, ldb));
    std::fill(b.get() + Count(j, ldb) + m, b.get() + Count(j + 1, ldb), 0.0);
  }
  lapack_int rank = 0;
  const lapack_int info =
      LAPACKE_dgelsd(LAPACK_COL_MAJOR, m, n, nrhs, a.get(), m, b.get(), ldb, s.get(), rcond, &rank);
  if (info != 0) return Checked("dgelsd", info);
  for (int j = 0; j < nrhs; ++j) std::copy(b.get() + Count(j, ldb), b.get() + Count(j, ldb) + n, X + Count(j, n));
  return Status::Ok();
}

Status Gemv(bool trans, int rows, int cols, const double* A, const double* x, double alpha, double beta, double* y) {
  const int ny = trans ? cols : rows;
  const int nx = trans ? rows : cols;
  if (ny == 0) return Status::Ok();
  if (beta == 0.0) std::fill(y, y + ny, 0.0);  // beta == 0 means "ignore y", even if it holds NaN
  if (nx == 0) {
    if (beta != 0.0) for (int i = 0; i < ny; ++i) y[i] *= beta;
    return Status::Ok();
  }
  cblas_dgemv(CblasColMajor, trans ? CblasTrans : CblasNoTrans, rows, cols, alpha, A, Ld(rows), x, 1, beta, y, 1);
  return Status::Ok();
}

}  // namespace mxne
