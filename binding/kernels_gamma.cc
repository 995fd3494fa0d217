#include "kernels_gamma.h"

#include <cblas.h>

#include <cmath>
#include <limits>
#include <new>
#include <vector>

#include "decomp.h"

namespace mxne {

Status GammaMapStep(int n, int k, int T, const double* G, const double* M, const double* gammas, double alpha,
                    int updateMode, const GammaMapStepOut& out) {
  *out.eighFallback = false;
  // No active source left (MNE still runs this iteration, on empty arrays, before stopping).
  if (n == 0 || k == 0) return Status::Ok();
  const size_t nn = size_t(n) * n, nk = size_t(n) * k;
  std::vector<double> Gg, CM, U, s, Vt, Us, CMinvG;
  try {
    Gg.resize(nk); CM.resize(nn); U.resize(nn); s.resize(n); Vt.resize(nn); Us.resize(nn); CMinvG.resize(nk);
  } catch (const std::bad_alloc&) {
    return Status::Fail("gammaMapStep: out of memory for the workspace");
  }
  for (int j = 0; j < k; j++)
    for (int i = 0; i < n; i++) Gg[i + size_t(j) * n] = G[i + size_t(j) * n] * gammas[j];
  // MNE: np.dot(G * gammas, G.T), then alpha on the diagonal.
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, n, n, k, 1.0, Gg.data(), n, G, n, 0.0, CM.data(), n);
  for (int i = 0; i < n; i++) CM[i + size_t(i) * n] += alpha;
  Status st = Svd(n, n, CM.data(), U.data(), s.data(), Vt.data());
  if (!st.ok() && st.info > 0) {
    // dgesdd's "did not converge" (MNE raises LinAlgError here; fixtures README §4.1).
    st = Eigh(n, CM.data(), s.data(), U.data());
    *out.eighFallback = true;
  }
  if (!st.ok()) return st;
  const double eps = std::numeric_limits<double>::epsilon();
  for (int j = 0; j < n; j++)
    for (int i = 0; i < n; i++) Us[i + size_t(j) * n] = U[i + size_t(j) * n] / (s[j] + eps);
  // CMinv = (U / (S + eps)) Uᵀ, CMinvG = CMinv G, A = CMinvGᵀ M (MNE's order of products).
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, n, n, n, 1.0, Us.data(), n, U.data(), n, 0.0, CM.data(), n);
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, k, n, 1.0, CM.data(), n, G, n, 0.0, CMinvG.data(), n);
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
