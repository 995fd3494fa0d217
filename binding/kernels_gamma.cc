#include "kernels_gamma.h"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "decomp.h"

namespace mxne {
namespace {

// MNE's inverse, U diag(1/(s + eps)) Uᵀ, from CM's eigendecomposition (its singular one, CM being
// symmetric positive semi-definite), then CMinvG = CM⁻¹ G.
Status SolveByEigh(int n, int k, const double* CM, const double* G, double* CMinvG) {
  std::vector<double> U(size_t(n) * n), s(n), Us(size_t(n) * n), inv(size_t(n) * n);
  Status st = Eigh(n, CM, s.data(), U.data());
  if (!st.ok()) return st;
  const double eps = std::numeric_limits<double>::epsilon();
  for (int j = 0; j < n; j++)
    for (int i = 0; i < n; i++) Us[i + size_t(j) * n] = U[i + size_t(j) * n] / (std::fabs(s[j]) + eps);
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, n, n, n, 1.0, Us.data(), n, U.data(), n, 0.0, inv.data(), n);
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, k, n, 1.0, inv.data(), n, G, n, 0.0, CMinvG, n);
  return Status::Ok();
}

}  // namespace

Status GammaMapStep(int n, int k, int T, const double* G, const double* M, const double* gammas, double alpha,
                    int updateMode, double* work, const GammaMapStepOut& out) {
  *out.eighFallback = false;
  // No active source left (MNE still runs this iteration, on empty arrays, before stopping).
  if (n == 0 || k == 0) return Status::Ok();
  const size_t nn = size_t(n) * n, nk = size_t(n) * k, nT = size_t(n) * T;
  double* const W = work;        // n x k
  double* const CM = W + nk;     // n x n
  double* const Z = CM + nn;     // n x T
  double* const colSum = Z + nT;  // k
  // CM = B Bᵀ + alpha I with B = G diag(√γ): SYRK, half the flops of MNE's np.dot(G * gammas, G.T),
  // and exactly symmetric (only the lower triangle is formed). The solver's gammas are never
  // negative (its updates are ratios of non-negative terms); the kernel takes any finite ones, and
  // forms CM by GEMM from G diag(γ) when one is negative.
  const bool nonNegative = std::all_of(gammas, gammas + k, [](double g) { return g >= 0; });
  const auto formCM = [&] {
    for (int j = 0; j < k; j++) {
      const double r = nonNegative ? std::sqrt(gammas[j]) : gammas[j];
      for (int i = 0; i < n; i++) W[i + size_t(j) * n] = G[i + size_t(j) * n] * r;
    }
    if (nonNegative) cblas_dsyrk(CblasColMajor, CblasLower, CblasNoTrans, n, k, 1.0, W, n, 0.0, CM, n);
    else cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, n, n, k, 1.0, W, n, G, n, 0.0, CM, n);
    for (int i = 0; i < n; i++) CM[i + size_t(i) * n] += alpha;
  };
  formCM();
  if (LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', n, CM, n) == 0) {
    // With CM = L Lᵀ and Y = L⁻¹G: diag(Gᵀ CM⁻¹ G) = ‖Y_j‖², and Gᵀ CM⁻¹ M is Yᵀ (L⁻¹M) or
    // (L⁻ᵀY)ᵀ M, whichever solve is on fewer columns (M's T or G's k).
    std::copy(G, G + nk, W);
    cblas_dtrsm(CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, n, k, 1.0, CM, n, W, n);
    for (int j = 0; j < k; j++) {
      double gc = 0;
      for (int i = 0; i < n; i++) gc += W[i + size_t(j) * n] * W[i + size_t(j) * n];
      colSum[j] = gc;
    }
    if (T < k) {
      std::copy(M, M + nT, Z);
      cblas_dtrsm(CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, n, T, 1.0, CM, n, Z, n);
      cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, k, T, n, 1.0, W, n, Z, n, 0.0, out.A, k);
    } else {
      cblas_dtrsm(CblasColMajor, CblasLeft, CblasLower, CblasTrans, CblasNonUnit, n, k, 1.0, CM, n, W, n);
      cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, k, T, n, 1.0, W, n, M, n, 0.0, out.A, k);
    }
  } else {
    // The failed factorisation overwrote CM: form it again (rare) rather than copy it every iteration.
    formCM();
    *out.eighFallback = true;
    Status st = SolveByEigh(n, k, CM, G, W);
    if (!st.ok()) return st;
    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, k, T, n, 1.0, W, n, M, n, 0.0, out.A, k);
    for (int j = 0; j < k; j++) {
      double gc = 0;
      for (int i = 0; i < n; i++) gc += G[i + size_t(j) * n] * W[i + size_t(j) * n];
      colSum[j] = gc;
    }
  }
  for (int j = 0; j < k; j++) {
    double a2 = 0;
    for (int t = 0; t < T; t++) a2 += out.A[j + size_t(t) * k] * out.A[j + size_t(t) * k];
    const double mean = a2 / T;
    if (updateMode == 1) {
      out.numer[j] = gammas[j] * gammas[j] * mean;
      out.denom[j] = gammas[j] * colSum[j];
    } else {
      out.numer[j] = gammas[j] * std::sqrt(mean);
      out.denom[j] = colSum[j];
    }
  }
  return Status::Ok();
}

}  // namespace mxne
