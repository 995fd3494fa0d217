// Pure BLAS-level kernels on packed column-major matrices (leading dimension = rows). No N-API:
// the exports validate everything first, so these assume consistent sizes.
#pragma once
#include <cstddef>

#include "status.h"

namespace mxne {

// C (m x n) = alpha * op(A) * op(B) + beta * C, op(A) m x k, op(B) k x n.
// A is stored aRows x aCols, B bRows x bCols.
Status Gemm(bool transA, bool transB, int aRows, int aCols, const double* A, int bRows, int bCols, const double* B,
            double alpha, double beta, double* C);

// Gram matrix with dsyrk, both triangles filled: trans=false -> A^T A (cols x cols),
// trans=true -> A A^T (rows x rows). A is rows x cols.
Status Gram(bool trans, int rows, int cols, const double* A, double* out);

// C[m x n] = alpha * A[m x k] * B[k x n] + beta * C on sub-blocks of larger column-major arrays:
// each operand is given by its first element and leading dimension (no transposes).
Status GemmBlock(int m, int n, int k, double alpha, const double* A, int lda, const double* B, int ldb, double beta, double* C,
                 int ldc);

}  // namespace mxne
