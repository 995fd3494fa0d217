#include "solvers.h"

#include <lapacke.h>

#include <algorithm>

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

}  // namespace mxne
