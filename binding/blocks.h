// Sums over contiguous runs shared by the L21 kernels and the solver driver. Sources are stored
// transposed (T x a, column-major), so the nOrient rows of a block are len = nOrient * T
// consecutive values; every sum runs in a fixed order (index order but for SquareSum), whatever the
// build or the chunking.
#pragma once
#include <cstddef>

// The L21 kernels' hot loops are compiled twice, for AVX2 and for the baseline, and the loader picks
// one per machine (GCC's target_clones: an ifunc, x86-64 ELF only; elsewhere one baseline build).
// Only elementwise loops widen: no FMA (-ffp-contract=off), sums keep their order, so the two
// builds give the same bits.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__ELF__)
#define MXNE_AVX2_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define MXNE_AVX2_CLONES
#endif

namespace mxne {

// s + a·b summed on from s in index order. A running sum continued over calls (chunk after chunk)
// goes through these, not inlined: inlined, a sum whose variable lives across a BLAS call was kept
// in memory by GCC, each add waiting for the previous one's store (about twice the sum's latency).
[[gnu::noinline]] inline double DotFrom(double s, const double* a, const double* b, size_t n) {
  for (size_t k = 0; k < n; k++) s += a[k] * b[k];
  return s;
}

// ‖a‖² of values fed in order, whole or in chunks: four running sums by index mod 4, added in
// pairs at the end. One add latency per four values instead of per value (the residual's ‖R‖²
// over m·T values was 9 % of a small irMxNE solve); the same sums however the values are chunked.
class SquareSum {
 public:
  [[gnu::noinline]] void Add(const double* a, size_t n) {
    size_t k = 0;
    for (; k < n && (at_ + k) % 4 != 0; k++) s_[(at_ + k) % 4] += a[k] * a[k];
    for (; k + 4 <= n; k += 4) {
      s_[0] += a[k] * a[k];
      s_[1] += a[k + 1] * a[k + 1];
      s_[2] += a[k + 2] * a[k + 2];
      s_[3] += a[k + 3] * a[k + 3];
    }
    for (; k < n; k++) s_[(at_ + k) % 4] += a[k] * a[k];
    at_ += n;
  }
  double Total() const { return (s_[0] + s_[1]) + (s_[2] + s_[3]); }
  static double Of(const double* a, size_t n) {
    SquareSum s;
    s.Add(a, n);
    return s.Total();
  }

 private:
  double s_[4] = {0, 0, 0, 0};
  size_t at_ = 0;
};

inline double Dot(const double* a, const double* b, size_t n) {
  double s = 0;
  for (size_t k = 0; k < n; k++) s += a[k] * b[k];
  return s;
}

// ||A[j*len .. (j+1)*len)||^2
inline double BlockNorm2(const double* A, size_t j, size_t len) {
  return Dot(A + j * len, A + j * len, len);
}

// out[j] = ||A[j*len .. (j+1)*len)||^2 for j < nb: four blocks at a time, each sum in index order as
// BlockNorm2's, their dependency chains interleaved (one sum waits an add latency per value).
inline void BlockNorms2(const double* A, size_t nb, size_t len, double* out) {
  size_t j = 0;
  for (; j + 4 <= nb; j += 4) {
    const double *a0 = A + j * len, *a1 = a0 + len, *a2 = a1 + len, *a3 = a2 + len;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (size_t k = 0; k < len; k++) {
      s0 += a0[k] * a0[k];
      s1 += a1[k] * a1[k];
      s2 += a2[k] * a2[k];
      s3 += a3[k] * a3[k];
    }
    out[j] = s0, out[j + 1] = s1, out[j + 2] = s2, out[j + 3] = s3;
  }
  for (; j < nb; j++) out[j] = BlockNorm2(A, j, len);
}

}  // namespace mxne
