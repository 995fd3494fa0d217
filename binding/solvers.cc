#include "solvers.h"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

#include "blocks.h"
#include "kernels.h"
#include "linalg.h"
#include "sym3.h"

namespace mxne {
namespace {

// ||block j||^2 of a T x n matrix stored column-major, blocks of nOrient columns (contiguous).
std::vector<double> GroupsNorm2(const double* A, int T, int n, int nOrient) {
  const size_t len = size_t(nOrient) * T;
  std::vector<double> out(n / nOrient);
  for (size_t j = 0; j < out.size(); j++) out[j] = BlockNorm2(A, j, len);
  return out;
}

// Indices of the `count` largest values; ties rank the later index higher (lib/sparse/groupNorms.ts).
std::vector<int> LargestIndices(const std::vector<double>& v, int count) {
  std::vector<int> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int x, int y) { return v[x] != v[y] ? v[x] < v[y] : x < y; });
  const size_t from = order.size() > size_t(count) ? order.size() - count : 0;
  return std::vector<int>(order.begin() + from, order.end());
}

std::vector<double> PickCols(const double* A, int rows, const std::vector<int>& cols) {
  std::vector<double> out(size_t(rows) * cols.size());
  for (size_t j = 0; j < cols.size(); j++) std::copy(A + size_t(cols[j]) * rows, A + size_t(cols[j] + 1) * rows, out.begin() + j * rows);
  return out;
}

// MNE's lc: per block, the spectral norm of its nOrient x nOrient Gram block (the largest eigenvalue).
// nOrient 3 keeps the closed form the conformance path was fitted with; other sizes ask LAPACK.
Status BlockLipschitz(const std::vector<double>& GtG, int a, int nOrient, std::vector<double>* out) {
  out->assign(a / nOrient, 0.0);
  std::vector<double> block(size_t(nOrient) * nOrient), w(nOrient);
  for (size_t j = 0; j < out->size(); j++) {
    const int o = int(j) * nOrient;
    if (nOrient == 1) {
      (*out)[j] = GtG[o + size_t(o) * a];
      continue;
    }
    if (nOrient == 3) {
      double m[3][3];
      for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++) m[r][c] = GtG[(o + r) + size_t(o + c) * a];
      (*out)[j] = LargestEigenvalue3(m);
      continue;
    }
    for (int c = 0; c < nOrient; c++)
      for (int r = 0; r < nOrient; r++) block[r + size_t(c) * nOrient] = GtG[(o + r) + size_t(o + c) * a];
    const int info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, 'N', 'L', nOrient, block.data(), nOrient, w.data());
    if (info != 0) return Status::Lapack("dsyevd", info);
    (*out)[j] = w[nOrient - 1];
  }
  return Status::Ok();
}

// One inner solve on the columns `cols` of G, warm-started from XtInit (T x |cols|) or zeros.
Status InnerSolve(int m, int T, const double* G, const std::vector<double>& GtMtAll, double normM2, double alpha,
                  const L21Options& o, const Control& control, const std::vector<int>& cols, std::vector<double>* Xt, L21Outcome* out,
                  std::vector<double>* objectives = nullptr) {
  const int a = int(cols.size());
  std::vector<double> GA = PickCols(G, m, cols), GtG(size_t(a) * a);
  Status s = Gram(false, m, a, GA.data(), GtG.data());
  if (!s.ok()) return s;
  std::vector<double> GtMt = PickCols(GtMtAll.data(), T, cols);
  std::vector<double> lc;
  if (!o.cd) {
    s = BlockLipschitz(GtG, a, o.nOrient, &lc);
    if (!s.ok()) return s;
  }
  L21Problem p{a, T, o.nOrient, GtG.data(), GtMt.data(), normM2};
  L21Run run{alpha, o.tol, o.maxit, o.dgapFreq, lc.data(), !o.cd, &control};
  std::vector<double> E;
  Status s2 = o.cd ? CdGram(p, run, Xt->data(), out) : BcdGram(p, run, Xt->data(), &E, out);
  if (objectives) *objectives = std::move(E);
  return s2;
}

// Rows of the non-zero blocks of Xt (T x a) as an nActive x T matrix, and those columns' indices.
void ActiveRows(const std::vector<double>& Xt, int T, int a, int nOrient, std::vector<int>* keep, std::vector<double>* X) {
  const std::vector<double> norms = GroupsNorm2(Xt.data(), T, a, nOrient);
  keep->clear();
  for (int q = 0; q < a; q++)
    if (norms[q / nOrient] != 0) keep->push_back(q);
  const size_t na = keep->size();
  X->assign(na * T, 0.0);
  for (size_t i = 0; i < na; i++)
    for (int t = 0; t < T; t++) (*X)[i + size_t(t) * na] = Xt[size_t((*keep)[i]) * T + t];
}

}  // namespace

Status MixedNormSolve(int m, int n, int T, const double* M, const double* G, const double* GtMtIn, double alpha, const L21Options& o,
                      const Control& control, L21Result* r) {
  const int no = o.nOrient;
  std::vector<double> GtMt(size_t(T) * n);
  if (GtMtIn) std::copy(GtMtIn, GtMtIn + GtMt.size(), GtMt.begin());
  else if (n > 0 && T > 0 && m > 0) cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, T, n, m, 1.0, M, m, G, m, 0.0, GtMt.data(), T);
  const double normM2 = Dot(M, M, size_t(m) * T);
  *r = L21Result{};
  if (o.activeSetSize <= 0) {
    std::vector<int> all(n);
    std::iota(all.begin(), all.end(), 0);
    std::vector<double> Xt(size_t(T) * n, 0.0);
    L21Outcome out;
    Status s = InnerSolve(m, T, G, GtMt, normM2, alpha, o, control, all, &Xt, &out, &r->E);
    if (!s.ok()) return s;
    ActiveRows(Xt, T, n, no, &r->active, &r->X);
    r->gap = out.gap;
    r->converged = out.converged;
    r->epochs = out.epochs;
    r->outer = 1;
    control.Report(Progress{1, r->epochs, r->gap});
  } else {
    std::vector<char> mask(n, 0);
    for (int b : LargestIndices(GroupsNorm2(GtMt.data(), T, n, no), o.activeSetSize))
      for (int c = 0; c < no; c++) mask[b * no + c] = 1;
    std::vector<double> XtInit;
    double highestDual = -std::numeric_limits<double>::infinity();
    double gap = std::numeric_limits<double>::infinity();
    std::vector<int> cols;
    std::vector<double> Xrows;
    int k = 0;
    // maxit bounds the work, not only each loop: the inner solves share one budget of maxit epochs
    // (MNE runs up to maxit inner epochs per outer iteration, maxit² in all, which at alpha ≈ 0 on a
    // large source space does not end in any useful time). Converging solves never reach it.
    for (; k < o.maxit && r->epochs < o.maxit; k++) {
      L21Options budget = o;
      budget.maxit = o.maxit - r->epochs;
      std::vector<int> A;
      for (int c = 0; c < n; c++)
        if (mask[c]) A.push_back(c);
      std::vector<double> Xt = XtInit.empty() ? std::vector<double>(size_t(T) * A.size(), 0.0) : XtInit;
      L21Outcome out;
      Status s = InnerSolve(m, T, G, GtMt, normM2, alpha, budget, control, A, &Xt, &out);
      if (!s.ok()) return s;
      r->epochs += out.epochs;
      std::vector<int> keep;
      ActiveRows(Xt, T, int(A.size()), no, &keep, &Xrows);
      std::vector<char> activeInA(A.size(), 0);
      for (int q : keep) activeInA[q] = 1;
      for (size_t q = 0; q < A.size(); q++) mask[A[q]] = activeInA[q];
      cols.clear();
      for (int q : keep) cols.push_back(A[q]);
      // Full-problem gap: one G_A X and one Gᵀ R product.
      const int na = int(cols.size());
      std::vector<double> R(M, M + size_t(m) * T), GtRt(size_t(T) * n);
      if (na > 0) {
        std::vector<double> Gc = PickCols(G, m, cols);
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, T, na, -1.0, Gc.data(), m, Xrows.data(), na, 1.0, R.data(), m);
      }
      if (n > 0 && T > 0 && m > 0) cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, T, n, m, 1.0, R.data(), m, G, m, 0.0, GtRt.data(), T);
      const double nR2 = Dot(R.data(), R.data(), R.size());
      std::vector<double> XtA(size_t(T) * na);
      for (int i = 0; i < na; i++)
        for (int t = 0; t < T; t++) XtA[size_t(i) * T + t] = Xrows[i + size_t(t) * na];
      double l21 = 0;
      for (double v : GroupsNorm2(XtA.data(), T, na, no)) l21 += std::sqrt(v);
      const double pObj = 0.5 * nR2 + alpha * l21;
      double dn = 0;
      const std::vector<double> gn = GroupsNorm2(GtRt.data(), T, n, no);
      for (double v : gn) dn = std::max(dn, v);
      const double sc = std::min(alpha / std::sqrt(dn), 1.0);
      std::vector<double> GtRa = PickCols(GtRt.data(), T, cols);
      const double dObj = (sc - 0.5 * sc * sc) * nR2 + sc * Dot(XtA.data(), GtRa.data(), XtA.size());
      highestDual = std::max(highestDual, dObj);
      gap = pObj - highestDual;
      r->E.push_back(pObj);
      control.Report(Progress{k + 1, r->epochs, gap});
      if (gap < o.tol) {
        r->converged = true;
        k++;
        break;
      }
      if (k < o.maxit - 1) {
        for (int b : LargestIndices(gn, o.activeSetSize))
          for (int c = 0; c < no; c++) mask[b * no + c] = 1;
        std::vector<int> grown;
        for (int c = 0; c < n; c++)
          if (mask[c]) grown.push_back(c);
        XtInit.assign(size_t(T) * grown.size(), 0.0);
        size_t g = 0;
        for (int i = 0; i < na; i++) {
          while (grown[g] != cols[i]) g++;
          std::copy(XtA.begin() + size_t(i) * T, XtA.begin() + size_t(i + 1) * T, XtInit.begin() + g * T);
        }
      }
    }
    r->active = cols;
    r->X = Xrows;
    r->gap = gap;
    r->outer = k;
  }
  return Status::Ok();
}

Status IterativeMixedNormSolve(int m, int n, int T, const double* M, const double* G, double alpha, int nMxneIter,
                               const L21Options& o, const double* weightInit, const Control& control, L21Result* r) {
  const int no = o.nOrient;
  std::vector<int> active;
  std::vector<double> weights;
  for (int k = 0; k < n; k++)
    if (!weightInit || weightInit[k] != 0) {
      active.push_back(k);
      weights.push_back(weightInit ? weightInit[k] : 1.0);
    }
  std::vector<double> X(size_t(n) * T, 0.0);
  size_t xRows = size_t(n);
  *r = L21Result{};
  double gap = std::numeric_limits<double>::infinity();
  bool converged = false;
  int epochs = 0;
  for (int k = 0; k < nMxneIter; k++) {
    const std::vector<double> X0 = X;
    const size_t x0Rows = xRows;
    const std::vector<int> active0 = active;
    std::vector<double> Gk = PickCols(G, m, active);
    for (size_t j = 0; j < active.size(); j++)
      for (int i = 0; i < m; i++) Gk[i + j * m] *= weights[j];
    L21Options inner = o;
    const bool useActiveSet = o.activeSetSize > 0 && int(active.size()) > o.activeSetSize * no;
    if (!useActiveSet) inner.activeSetSize = 0;
    L21Result sub;
    Status s = MixedNormSolve(m, int(active.size()), T, M, Gk.data(), nullptr, alpha, inner, Control{control.cancel, nullptr}, &sub);
    if (!s.ok()) return s;
    gap = sub.gap;
    converged = sub.converged;
    epochs += sub.epochs;
    if (sub.active.empty()) {
      active.clear();
      X.clear();
      xRows = 0;
      r->E.push_back(0.5 * Dot(M, M, size_t(m) * T));
      r->history.emplace_back();
      break;
    }
    const size_t na = sub.active.size();
    std::vector<int> newActive(na);
    for (size_t i = 0; i < na; i++) newActive[i] = active[sub.active[i]];
    X = sub.X;
    xRows = na;
    for (size_t i = 0; i < na; i++) {
      const double w = weights[sub.active[i]];
      for (int t = 0; t < T; t++) X[i + size_t(t) * na] *= w;
    }
    active = newActive;
    // g(X) = sqrt(||X_j||), weights 2 g(X) per column, objective with the L0.5 penalty.
    std::vector<double> Xt(size_t(T) * na);
    for (size_t i = 0; i < na; i++)
      for (int t = 0; t < T; t++) Xt[i * T + t] = X[i + size_t(t) * na];
    std::vector<double> gNorm = GroupsNorm2(Xt.data(), T, int(na), no);
    for (double& v : gNorm) v = std::sqrt(std::sqrt(v));
    weights.assign(na, 0.0);
    for (size_t i = 0; i < na; i++) weights[i] = 2 * gNorm[i / no];
    std::vector<double> R(M, M + size_t(m) * T), GA = PickCols(G, m, active);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, T, int(na), -1.0, GA.data(), m, X.data(), int(na), 1.0, R.data(), m);
    double pen = 0;
    for (double v : gNorm) pen += v;
    r->E.push_back(0.5 * Dot(R.data(), R.data(), R.size()) + alpha * pen);
    r->history.push_back(active);
    control.Report(Progress{k + 1, epochs, gap});
    if (k >= 1 && active == active0 && x0Rows == xRows) {
      double diff = 0;
      for (size_t q = 0; q < X.size(); q++) diff = std::max(diff, std::fabs(X[q] - X0[q]));
      if (diff < o.tol) break;
    }
  }
  r->outer = int(r->history.size());
  r->active = active;
  r->X = X;
  r->gap = gap;
  r->converged = converged;
  r->epochs = epochs;
  return Status::Ok();
}

}  // namespace mxne
