#include "anderson.h"
#include "blocks.h"

#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mxne {

// An AVX2 clone of the candidate's pass over the iterates (elementwise: the same values).
MXNE_AVX2_CLONES
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

// C = UᵀU for the differences U_k = X_{k+1} − X_k (the 15 sums of its upper triangle, row by row)
// without storing U: each sum runs over q in order (the same values as forming U and 15 dot
// products), the independent sums side by side so that the FPU is not waiting out one sum's add
// latency per value. Two passes (the sums of rows 0–1, then of rows 2–4) keep each pass's
// accumulators in registers: one pass of all 15 made GCC build them as vectors on the stack, whose
// overlapping reloads missed store forwarding (80 % of the Anderson step's time).
void AndersonRing::GramOfDifferences(double* S) const {
  static_assert(kDepth == 5, "the passes below name the six iterates");
  const size_t n = ring_[0].size();
  const double *r0 = ring_[0].data(), *r1 = ring_[1].data(), *r2 = ring_[2].data(), *r3 = ring_[3].data(),
               *r4 = ring_[4].data(), *r5 = ring_[5].data();
  double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s04 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0;
  for (size_t q = 0; q < n; q++) {
    const double u0 = r1[q] - r0[q], u1 = r2[q] - r1[q], u2 = r3[q] - r2[q], u3 = r4[q] - r3[q], u4 = r5[q] - r4[q];
    s00 += u0 * u0, s01 += u0 * u1, s02 += u0 * u2, s03 += u0 * u3, s04 += u0 * u4;
    s11 += u1 * u1, s12 += u1 * u2, s13 += u1 * u3, s14 += u1 * u4;
  }
  double s22 = 0, s23 = 0, s24 = 0, s33 = 0, s34 = 0, s44 = 0;
  for (size_t q = 0; q < n; q++) {
    const double u2 = r3[q] - r2[q], u3 = r4[q] - r3[q], u4 = r5[q] - r4[q];
    s22 += u2 * u2, s23 += u2 * u3, s24 += u2 * u4;
    s33 += u3 * u3, s34 += u3 * u4, s44 += u4 * u4;
  }
  const double all[] = {s00, s01, s02, s03, s04, s11, s12, s13, s14, s22, s23, s24, s33, s34, s44};
  std::copy(all, all + 15, S);
}

// c ∝ C⁻¹ 1 with C the Gram of the successive differences, through its eigendecomposition
// (numpy's eigh in MNE), normalised to sum to 1.
bool AndersonRing::Weights(double* c) const {
  const int K = kDepth;
  double S[K * (K + 1) / 2];
  GramOfDifferences(S);
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
