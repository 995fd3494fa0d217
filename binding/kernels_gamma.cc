#include "kernels_gamma.h"

#include <cblas.h>
#include <lapacke.h>

#include <cmath>
#include <limits>
#include <new>
#include <vector>

#include "decomp.h"

namespace mxne {
namespace {

// CMinvG = CM⁻¹ G through CM's Cholesky factor (two triangular solves on G's k columns).
// false when CM is not numerically positive definite; CM is overwritten by the factor.
bool SolveByCholesky(int n, int k, double* CM, const double* G, double* CMinvG) {
  if (LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', n, CM, n) != 0) return false;
  std::copy(G, G + size_t(n) * k, CMinvG);
  return LAPACKE_dpotrs(LAPACK_COL_MAJOR, 'L', n, k, CM, n, CMinvG, n) == 0;
}

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
                    int updateMode, const GammaMapStepOut& out) {
  *out.eighFallback = false;
  // No active source left (MNE still runs this iteration, on empty arrays, before stopping).
  if (n == 0 || k == 0) return Status::Ok();
  const size_t nn = size_t(n) * n, nk = size_t(n) * k;
  std::vector<double> Gg, CM, CMinvG;
  try {
    Gg.resize(nk); CM.resize(nn); CMinvG.resize(nk);
  } catch (const std::bad_alloc&) {
    return Status::Fail("gammaMapStep: out of memory for the workspace");
  }
  for (int j = 0; j < k; j++)
    for (int i = 0; i < n; i++) Gg[i + size_t(j) * n] = G[i + size_t(j) * n] * gammas[j];
  // MNE: np.dot(G * gammas, G.T), then alpha on the diagonal.
  const auto formCM = [&] {
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, n, n, k, 1.0, Gg.data(), n, G, n, 0.0, CM.data(), n);
    for (int i = 0; i < n; i++) CM[i + size_t(i) * n] += alpha;
  };
  formCM();
  if (!SolveByCholesky(n, k, CM.data(), G, CMinvG.data())) {
    // The failed factorisation overwrote CM: form it again (rare) rather than copy it every iteration.
    formCM();
    *out.eighFallback = true;
    Status st = SolveByEigh(n, k, CM.data(), G, CMinvG.data());
    if (!st.ok()) return st;
  }
  cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, k, T, n, 1.0, CMinvG.data(), n, M, n, 0.0, out.A, k);
  for (int j = 0; j < k; j++) {
    double a2 = 0, gc = 0;
    for (int t = 0; t < T; t++) a2 += out.A[j + size_t(t) * k] * out.A[j + size_t(t) * k];
    for (int i = 0; i < n; i++) gc += G[i + size_t(j) * n] * CMinvG[i + size_t(j) * n];
    const double mean = a2 / T;
    if (updateMode == 1) {
      out.numer[j] = gammas[j] * gammas[j] * mean;
      out.denom[j] = gammas[j] * gc;
    } else {
      out.numer[j] = gammas[j] * std::sqrt(mean);
      out.denom[j] = gc;
    }
  }
  return Status::Ok();
}

}  // namespace mxne
