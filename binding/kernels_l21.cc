// The inner L21 solvers (kernels.h): Gram-form BCD with MNE's Anderson step, scikit-learn's CD.
#include "kernels.h"
#include "anderson.h"
#include "blocks.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

namespace mxne {
namespace {

// GtRt = GtMt - Xt * GtG (T x a).
void ResidualCorrelation(const L21Problem& p, const double* Xt, double* GtRt) {
  const size_t n = size_t(p.a) * p.T;
  std::copy(p.GtMt, p.GtMt + n, GtRt);
  bool any = false;
  for (size_t k = 0; k < n && !any; k++) any = Xt[k] != 0;
  if (any && p.a > 0 && p.T > 0)
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, p.T, p.a, p.a, -1.0, Xt, p.T, p.GtG, p.a, 1.0, GtRt, p.T);
}

// The sums of the primal objective and the duality gap at a point X with GtRt = GᵀR there: ⟨X, GᵀM⟩
// and ⟨X, GᵀR⟩ over all values, Σ_j ‖X_j‖_F and max_j ‖(GᵀR)_j‖² over blocks.
struct PointSums {
  double xGtM = 0, xGtR = 0, l21 = 0, maxR2 = 0;
};

// PointSums of P points in one pass (max_j ‖(GᵀR)_j‖² only with kMaxR2). Every sum still runs in
// index order (the values of separate passes), but the sums are independent dependency chains:
// interleaved, they overlap instead of each waiting out one add latency per value in turn (the gap
// checks and the Anderson test of small active sets are latency-bound).
template <int P, bool kMaxR2>
void Sums(const L21Problem& p, const double* const* X, const double* const* GtRt, PointSums* out) {
  const int nb = p.a / p.nOrient;
  const size_t len = size_t(p.nOrient) * p.T;
  double xGtM[P] = {}, xGtR[P] = {}, l21[P] = {}, mR2[P] = {};
  for (int j = 0; j < nb; j++) {
    const size_t off = size_t(j) * len;
    const double* m = p.GtMt + off;
    double xx[P] = {}, rr[P] = {};
    for (size_t k = 0; k < len; k++) {
      for (int q = 0; q < P; q++) {
        const double x = X[q][off + k], r = GtRt[q][off + k];
        xGtM[q] += x * m[k];
        xGtR[q] += x * r;
        xx[q] += x * x;
        if (kMaxR2) rr[q] += r * r;
      }
    }
    for (int q = 0; q < P; q++) {
      l21[q] += std::sqrt(xx[q]);
      mR2[q] = std::max(mR2[q], rr[q]);
    }
  }
  for (int q = 0; q < P; q++) out[q] = PointSums{xGtM[q], xGtR[q], l21[q], mR2[q]};
}

// ½‖R‖² + α Σ_j ‖X_j‖ with ‖R‖² = ‖M‖² − ⟨X, GᵀM⟩ − ⟨X, GᵀR⟩.
double Primal(const L21Problem& p, const PointSums& s, double alpha) {
  return 0.5 * (p.normM2 - s.xGtM - s.xGtR) + alpha * s.l21;
}

// GtR -= G_A^T G_j delta_j for block j: for each row r of GtR, the block's columns c in order,
// R[r, t] -= GtG[r, c]·delta[c, t], skipping a zero GtG[r, c].
// Inlined so that it is compiled for the target of the BcdGram clone it runs in (AVX2 or not).
[[gnu::always_inline]] inline void SubtractGramBlock(const L21Problem& p, int j, const double* delta, double* R) {
  const int a = p.a, T = p.T, no = p.nOrient;
  const double* cols = p.GtG + size_t(j) * no * a;
  for (int r = 0; r < a; r++) {
    double* ro = R + size_t(r) * T;
    if (no == 3 && cols[r] != 0 && cols[a + r] != 0 && cols[2 * a + r] != 0) {
      // Free orientation: the three updates of an entry in one pass over the row (the same
      // operations in the same order, each rounded, so the same values as three passes).
      const double w0 = cols[r], w1 = cols[a + r], w2 = cols[2 * a + r];
      const double *d0 = delta, *d1 = delta + T, *d2 = delta + 2 * size_t(T);
      for (int t = 0; t < T; t++) ro[t] = ((ro[t] - w0 * d0[t]) - w1 * d1[t]) - w2 * d2[t];
      continue;
    }
    for (int c = 0; c < no; c++) {
      const double w = cols[size_t(c) * a + r];
      if (w == 0) continue;
      const double* d = delta + size_t(c) * T;
      for (int t = 0; t < T; t++) ro[t] -= w * d[t];
    }
  }
}

}  // namespace

MXNE_AVX2_CLONES
Status BcdGram(const L21Problem& p, const L21Run& r, double* X, std::vector<double>* E, L21Outcome* out) {
  const int a = p.a, T = p.T, no = p.nOrient, nb = a / no;
  const size_t len = size_t(no) * T, n = size_t(a) * T;
  std::vector<double> R(n), xNew(len), delta(len), accR(r.anderson ? n : 0), acc(r.anderson ? n : 0), cur(r.anderson ? n : 0);
  ResidualCorrelation(p, X, R.data());
  AndersonRing ring(r.anderson ? n : 0);
  double highestDual = -std::numeric_limits<double>::infinity();
  *out = L21Outcome{};
  out->gap = std::numeric_limits<double>::infinity();

  for (int i = 0; i < r.maxit; i++) {
    if (r.control != nullptr && r.control->Cancelled()) return Status::Cancelled();
    out->epochs = i + 1;
    for (int j = 0; j < nb; j++) {
      const size_t off = j * len;
      const double inv = 1 / r.lipschitz[j];
      // MNE checks only the first entry to decide whether the block held a value.
      const bool wasNonZero = X[off] != 0;
      double norm2 = 0;
      for (size_t k = 0; k < len; k++) {
        const double v = R[off + k] * inv + (wasNonZero ? X[off + k] : 0);
        xNew[k] = v;
        norm2 += v * v;
      }
      const double norm = std::sqrt(norm2);
      const double alphaLc = r.alpha * inv;
      bool changed = wasNonZero;
      if (norm <= alphaLc) {
        for (size_t k = 0; k < len; k++) {
          delta[k] = -(wasNonZero ? X[off + k] : 0);
          X[off + k] = 0;
        }
      } else {
        const double shrink = std::max(1 - alphaLc / norm, 0.0);
        for (size_t k = 0; k < len; k++) {
          const double v = xNew[k] * shrink;
          delta[k] = v - (wasNonZero ? X[off + k] : 0);
          X[off + k] = v;
        }
        changed = true;
      }
      if (changed) SubtractGramBlock(p, j, delta.data(), R.data());
    }

    if ((i + 1) % r.dgapFreq == 0) {
      ResidualCorrelation(p, X, R.data());
      const double* x[1] = {X};
      const double* g[1] = {R.data()};
      PointSums ps;
      Sums<1, true>(p, x, g, &ps);
      const double nR2 = p.normM2 - ps.xGtM - ps.xGtR;
      const double s = std::min(r.alpha / std::sqrt(ps.maxR2), 1.0);
      const double primal = 0.5 * nR2 + r.alpha * ps.l21;
      const double dual = (s - 0.5 * s * s) * nR2 + s * ps.xGtR;
      highestDual = std::max(highestDual, dual);
      out->gap = primal - highestDual;
      E->push_back(primal);
      if (out->gap < r.tol) {
        out->converged = true;
        break;
      }
    }

    if (r.anderson && ring.Push(i, X, acc.data())) {
      // MNE squares the candidate in place (groups_norm2); see lib/sparse/mixedNormSolver.ts.
      for (size_t q = 0; q < n; q++) acc[q] *= acc[q];
      ResidualCorrelation(p, acc.data(), accR.data());
      ResidualCorrelation(p, X, cur.data());
      const double* x[2] = {acc.data(), X};
      const double* g[2] = {accR.data(), cur.data()};
      PointSums ps[2];
      Sums<2, false>(p, x, g, ps);
      if (Primal(p, ps[0], r.alpha) < Primal(p, ps[1], r.alpha)) {
        std::copy(acc.begin(), acc.end(), X);
        R.swap(accR);
      }
    }
  }
  return Status::Ok();
}

Status CdGram(const L21Problem& p, const L21Run& r, double* X, L21Outcome* out) {
  const int a = p.a, T = p.T;
  const size_t n = size_t(a) * T;
  std::vector<double> R(n), w(T), delta(T), G2(n);
  ResidualCorrelation(p, X, R.data());
  const double dwTol = r.tol / p.normM2;
  const double tol = dwTol * p.normM2;
  *out = L21Outcome{};
  out->gap = std::numeric_limits<double>::infinity();
  for (int it = 0; it < r.maxit; it++) {
    if (r.control != nullptr && r.control->Cancelled()) return Status::Cancelled();
    out->epochs = it + 1;
    double wMax = 0, dwMax = 0;
    for (int i = 0; i < a; i++) {
      const double normCol = p.GtG[size_t(i) + size_t(i) * a];
      if (normCol == 0) continue;
      const size_t off = size_t(i) * T;
      double nn = 0;
      for (int t = 0; t < T; t++) {
        w[t] = X[off + t];
        const double v = R[off + t] + normCol * w[t];
        delta[t] = v;
        nn += v * v;
      }
      nn = std::sqrt(nn);
      const double scale = std::max(1 - r.alpha / nn, 0.0) / normCol;
      double dw = 0, wAbs = 0;
      bool changed = false;
      for (int t = 0; t < T; t++) {
        const double v = delta[t] * scale;
        X[off + t] = v;
        delta[t] = v - w[t];
        if (delta[t] != 0) changed = true;
        dw = std::max(dw, std::fabs(delta[t]));
        wAbs = std::max(wAbs, std::fabs(v));
      }
      if (changed) {
        const double* col = p.GtG + size_t(i) * a;
        for (int q = 0; q < a; q++) {
          const double g = col[q];
          if (g == 0) continue;
          double* ro = R.data() + size_t(q) * T;
          for (int t = 0; t < T; t++) ro[t] -= g * delta[t];
        }
      }
      dwMax = std::max(dwMax, dw);
      wMax = std::max(wMax, wAbs);
    }
    if (wMax == 0 || dwMax / wMax < dwTol || it == r.maxit - 1) {
      // scikit-learn's multi-task duality gap (l2_reg = 0).
      ResidualCorrelation(p, X, G2.data());
      const double xGtM = Dot(X, p.GtMt, n);
      const double rNorm2 = p.normM2 - xGtM - Dot(X, G2.data(), n);
      double dualNorm = 0, l21 = 0;
      for (int i = 0; i < a; i++) {
        double s = 0, ww = 0;
        for (int t = 0; t < T; t++) {
          s += G2[size_t(i) * T + t] * G2[size_t(i) * T + t];
          ww += X[size_t(i) * T + t] * X[size_t(i) * T + t];
        }
        dualNorm = std::max(dualNorm, std::sqrt(s));
        l21 += std::sqrt(ww);
      }
      double c = 1, gap = rNorm2;
      if (dualNorm > r.alpha) {
        c = r.alpha / dualNorm;
        gap = 0.5 * (rNorm2 + rNorm2 * c * c);
      }
      out->gap = gap + r.alpha * l21 - c * (p.normM2 - xGtM);
      if (out->gap < tol) {
        out->converged = true;
        break;
      }
    }
  }
  return Status::Ok();
}


}  // namespace mxne
