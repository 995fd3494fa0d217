#include "anderson.h"

#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mxne {

// AVX2 clones of the two passes over the iterates (elementwise and per-sum order unchanged: the same values).
__attribute__((target_clones("avx2", "default")))
bool AndersonRing::Push(int epoch, const double* X, double* candidate) {
  const size_t n = ring_[0].size();
  std::copy(X, X + n, ring_[epoch % (kDepth + 1)].begin());
  if (epoch % (kDepth + 1) != kDepth) return false;
  double c[kDepth];
  if (!Weights(c)) return false;
  std::fill(candidate, candidate + n, 0.0);
  for (int k = 0; k < kDepth; k++)
    for (size_t q = 0; q < n; q++) candidate[q] += ring_[k][q] * c[k];
  return true;
}

// c ∝ C⁻¹ 1 with C the Gram of the successive differences, through its eigendecomposition
// (numpy's eigh in MNE), normalised to sum to 1.
__attribute__((target_clones("avx2", "default")))
bool AndersonRing::Weights(double* c) const {
  const int K = kDepth;
  const size_t n = ring_[0].size();
  // C = UᵀU for the differences U_k = X_{k+1} − X_k, in one pass over the iterates: each of the 15
  // sums still runs over q in order (the same values as forming U and 15 dot products), without
  // storing U, and the independent sums keep the FPU busy instead of one sum's add latency.
  static_assert(kDepth == 5, "the pass below names the six iterates");
  double S[K * (K + 1) / 2] = {};
  const double *r0 = ring_[0].data(), *r1 = ring_[1].data(), *r2 = ring_[2].data(), *r3 = ring_[3].data(),
               *r4 = ring_[4].data(), *r5 = ring_[5].data();
  for (size_t q = 0; q < n; q++) {
    const double u[K] = {r1[q] - r0[q], r2[q] - r1[q], r3[q] - r2[q], r4[q] - r3[q], r5[q] - r4[q]};
    int e = 0;
    for (int i = 0; i < K; i++)
      for (int j = i; j < K; j++) S[e++] += u[i] * u[j];
  }
  double C[K * K], w[K];
  for (int i = 0, e = 0; i < K; i++)
    for (int j = i; j < K; j++, e++) {
      C[i + j * K] = S[e];
      C[j + i * K] = S[e];
    }
  for (double v : C)
    if (!std::isfinite(v)) return false;
  if (LAPACKE_dsyevd(LAPACK_COL_MAJOR, 'V', 'L', K, C, K, w) != 0) return false;
  double smax = 0, smin = std::numeric_limits<double>::infinity();
  for (double v : w) {
    smax = std::max(smax, std::fabs(v));
    smin = std::min(smin, std::fabs(v));
  }
  if (!(smin > 1e-6 * smax)) return false;
  double z[K] = {0, 0, 0, 0, 0};
  for (int e = 0; e < K; e++) {
    double u1 = 0;
    for (int i = 0; i < K; i++) u1 += C[i + e * K];
    for (int i = 0; i < K; i++) z[i] += (C[i + e * K] * u1) / w[e];
  }
  double sum = 0;
  for (double v : z) sum += v;
  for (int i = 0; i < K; i++) c[i] = z[i] / sum;
  return true;
}

}  // namespace mxne
