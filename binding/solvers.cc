#include "solvers.h"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "args.h"
#include "blocks.h"
#include "linalg.h"
#include "sym3.h"

namespace mxne {
namespace {

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

std::vector<double> PickCols(const double* A, int rows, const int* cols, int a) {
  std::vector<double> out(size_t(rows) * a);
  for (int j = 0; j < a; j++) std::copy(A + size_t(cols[j]) * rows, A + size_t(cols[j] + 1) * rows, out.begin() + size_t(j) * rows);
  return out;
}

// A non-finite ‖R‖² or block norm: the first non-finite value of M, G or GᵀM, named as the argument
// guards name it; without one, the products overflowed (data scaled by 1e300). Looked for only on
// failure: finite inputs give finite sums, so no scan of every argument before each residual.
Status NonFinite(const ResidualArgs& g) {
  const auto named = [](const char* name, const double* a, size_t k) {
    return Status::Range(std::string("Expected finite values in ") + name + " but element " + std::to_string(k) + " is " + std::to_string(a[k]));
  };
  const size_t mT = size_t(g.m) * g.T;
  if (size_t k = FirstNonFinite(g.M, mT); k < mT) return named("M", g.M, k);
  if (size_t k = FirstNonFinite(g.G, size_t(g.m) * g.n); k < size_t(g.m) * g.n) return named("G", g.G, k);
  const size_t Tn = size_t(g.T) * g.n;
  if (g.GtMt != nullptr)
    if (size_t k = FirstNonFinite(g.GtMt, Tn); k < Tn) return named("GtMt", g.GtMt, k);
  return Status::Fail("the residual or its correlation with G overflowed (non-finite values from finite inputs)");
}

}  // namespace

Status InnerSolve(const InnerSolveArgs& g, const Control& control, double* Xt, L21Outcome* out, std::vector<double>* E) {
  std::vector<double> GA = PickCols(g.G, g.m, g.cols, g.a), GtG(size_t(g.a) * g.a);
  Status s = Gram(false, g.m, g.a, GA.data(), GtG.data());
  if (!s.ok()) return s;
  std::vector<double> GtMt = PickCols(g.GtMt, g.T, g.cols, g.a);
  std::vector<double> lc;
  if (!g.cd) {
    s = BlockLipschitz(GtG, g.a, g.nOrient, &lc);
    if (!s.ok()) return s;
  }
  L21Problem p{g.a, g.T, g.nOrient, GtG.data(), GtMt.data(), g.normM2};
  L21Run run{g.alpha, g.tol, g.maxit, g.dgapFreq, lc.data(), !g.cd, &control};
  return g.cd ? CdGram(p, run, Xt, out) : BcdGram(p, run, Xt, E, out);
}

// Columns of GᵀR formed at a time when it is only summed: T x 126 values (~180 kB at T = 181); values
// of R at a time when only ‖R‖² is needed (whole time samples: 22,000 values, ~180 kB).
constexpr int kChunkColumns = 126, kChunkValues = 22000;

Status SparseResidual(const ResidualArgs& g, double* R, double* GtRt, double* norms2, ResidualOut* out) {
  const size_t mT = size_t(g.m) * g.T;
  // GᵀR = GᵀM − (G_Aᵀ G)ᵀ X costs a·(m + T) per column instead of m·T: four times less for MNE's
  // first active sets (a = 30, m ≈ 360, T ≈ 180). Its cancellation error stays at rounding level
  // relative to GᵀM (‖GᵀM‖ ≤ alpha_max, within a factor 100 of alpha), far below any gap tolerance.
  const bool gram = g.GtMt != nullptr && size_t(g.a) * (g.m + g.T) < mT;
  std::vector<double> GA = g.a > 0 ? PickCols(g.G, g.m, g.cols, g.a) : std::vector<double>();
  // R is needed whole only when asked for or to form GᵀR from it; otherwise only ‖R‖² is, summed over
  // chunks of time samples in a buffer that stays in cache (column-major order: the same sum). With
  // no columns R is M itself, read in place.
  std::vector<double> own;
  const bool whole = R != nullptr || (norms2 != nullptr && !gram);
  if (R == nullptr && g.a == 0) {
    R = const_cast<double*>(g.M);
  } else if (R == nullptr && whole) {
    own.assign(g.M, g.M + mT);  // a copy of M, not zeros then M
    R = own.data();
  } else if (R != nullptr) {
    std::copy(g.M, g.M + mT, R);
  }
  if (R != nullptr) {
    if (g.a > 0 && g.m > 0 && g.T > 0)
      cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, g.m, g.T, g.a, -1.0, GA.data(), g.m, g.Xt, g.T, 1.0, R, g.m);
    out->normR2 = g.sumR2 ? SquareSum::Of(R, mT) : std::nan("");
  } else if (!g.sumR2) {
    out->normR2 = std::nan("");
  } else {
    const int step = std::max(1, kChunkValues / std::max(g.m, 1));
    std::unique_ptr<double[]> chunk(new double[size_t(g.m) * std::min(g.T, step)]);  // each chunk is M's values first
    SquareSum r2;
    for (int t0 = 0; t0 < g.T && g.m > 0; t0 += step) {
      const int nt = std::min(g.T - t0, step);
      const size_t len = size_t(g.m) * nt;
      std::copy(g.M + size_t(t0) * g.m, g.M + size_t(t0) * g.m + len, chunk.get());
      cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, g.m, nt, g.a, -1.0, GA.data(), g.m, g.Xt + t0, g.T, 1.0, chunk.get(), g.m);
      r2.Add(chunk.get(), len);
    }
    out->normR2 = r2.Total();
  }
  const bool normFinite = !g.sumR2 || std::isfinite(out->normR2);
  if (norms2 == nullptr) return normFinite ? Status::Ok() : NonFinite(g);
  // Unless GtRt is asked for, GᵀR is only summed: formed a chunk of columns at a time in a buffer
  // that stays in cache, not written out whole (each column's products are the same either way).
  const int no = g.nOrient, nb = g.n / no, step = GtRt != nullptr ? std::max(nb, 1) : std::max(1, kChunkColumns / no);
  // Not zeroed: every chunk is written (copied from GᵀM, or a product with β = 0) before it is read.
  std::unique_ptr<double[]> chunk(GtRt != nullptr ? nullptr : new double[size_t(g.T) * std::min(nb, step) * no]);
  std::unique_ptr<double[]> GAtG(gram && g.a > 0 && g.m > 0 ? new double[size_t(g.a) * std::min(nb, step) * no] : nullptr);
  const size_t len = size_t(no) * g.T;
  bool finite = normFinite;
  double s = 0;
  for (int b0 = 0, q = 0; b0 < nb && g.T > 0; b0 += step) {
    const int b1 = std::min(nb, b0 + step), c0 = b0 * no, nc = (b1 - b0) * no;
    double* C = GtRt != nullptr ? GtRt + size_t(c0) * g.T : chunk.get();
    const double* Gc = g.G + size_t(c0) * g.m;
    if (!gram) {
      cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, g.T, nc, g.m, 1.0, R, g.m, Gc, g.m, 0.0, C, g.T);
    } else {
      std::copy(g.GtMt + size_t(c0) * g.T, g.GtMt + size_t(c0 + nc) * g.T, C);
      if (GAtG != nullptr) {
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, g.a, nc, g.m, 1.0, GA.data(), g.m, Gc, g.m, 0.0, GAtG.get(), g.a);
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, g.T, nc, g.a, -1.0, g.Xt, g.T, GAtG.get(), g.a, 1.0, C, g.T);
      }
    }
    BlockNorms2(C, size_t(b1 - b0), len, norms2 + b0);
    for (int j = b0; j < b1; j++) finite = finite && std::isfinite(norms2[j]);
    // ⟨X, (GᵀR)[:, cols]⟩ as one running sum over the columns in ascending order, chunk after chunk.
    for (; q < g.a && g.cols[q] < c0 + nc; q++) s = DotFrom(s, g.Xt + size_t(q) * g.T, C + size_t(g.cols[q] - c0) * g.T, size_t(g.T));
  }
  if (!finite) return NonFinite(g);
  out->xGtR = s;
  return Status::Ok();
}

}  // namespace mxne
