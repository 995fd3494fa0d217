// Sums over contiguous runs shared by the L21 kernels and the solver driver. Sources are stored
// transposed (T x a, column-major), so the nOrient rows of a block are len = nOrient * T
// consecutive values; every sum runs in index order, as the reference implementations do.
#pragma once
#include <cstddef>

namespace mxne {

inline double Dot(const double* a, const double* b, size_t n) {
  double s = 0;
  for (size_t k = 0; k < n; k++) s += a[k] * b[k];
  return s;
}

// ||A[j*len .. (j+1)*len)||^2
inline double BlockNorm2(const double* A, size_t j, size_t len) {
  return Dot(A + j * len, A + j * len, len);
}

}  // namespace mxne
