#include "kernels.h"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

namespace mxne {
namespace {

constexpr int kAndersonK = 5;

double Dot(const double* a, const double* b, size_t n) {
  double s = 0;
  for (size_t k = 0; k < n; k++) s += a[k] * b[k];
  return s;
}

// GtRt = GtMt - Xt * GtG (T x a), as lib/sparse/bcd.ts residualCorrelation.
void ResidualCorrelation(const L21Problem& p, const double* Xt, double* GtRt) {
  const size_t n = size_t(p.a) * p.T;
  std::copy(p.GtMt, p.GtMt + n, GtRt);
  bool any = false;
  for (size_t k = 0; k < n && !any; k++) any = Xt[k] != 0;
  if (any && p.a > 0 && p.T > 0)
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, p.T, p.a, p.a, -1.0, Xt, p.T, p.GtG, p.a, 1.0, GtRt, p.T);
}

// Sum over blocks of ||X_j||_F, and max over blocks of ||GtR_j||^2.
double L21(const double* Xt, int nb, size_t len) {
  double s = 0;
  for (int j = 0; j < nb; j++) {
    double g = 0;
    for (size_t k = j * len, e = k + len; k < e; k++) g += Xt[k] * Xt[k];
    s += std::sqrt(g);
  }
  return s;
}

double MaxGroupNorm2(const double* A, int nb, size_t len) {
  double m = 0;
  for (int j = 0; j < nb; j++) {
    double g = 0;
    for (size_t k = j * len, e = k + len; k < e; k++) g += A[k] * A[k];
    if (g > m) m = g;
  }
  return m;
}

double ResidualNorm2(const L21Problem& p, const double* Xt, const double* GtRt) {
  const size_t n = size_t(p.a) * p.T;
  return p.normM2 - Dot(Xt, p.GtMt, n) - Dot(Xt, GtRt, n);
}

double Primal(const L21Problem& p, const double* Xt, const double* GtRt, double alpha) {
  const size_t len = size_t(p.nOrient) * p.T;
  return 0.5 * ResidualNorm2(p, Xt, GtRt) + alpha * L21(Xt, p.a / p.nOrient, len);
}

// Anderson weights c (K) from K + 1 iterates, or false when MNE refuses (ill-conditioned).
bool AndersonWeights(const std::vector<std::vector<double>>& ring, double* c) {
  const int K = kAndersonK;
  const size_t n = ring[0].size();
  std::vector<std::vector<double>> U(K, std::vector<double>(n));
  for (int k = 0; k < K; k++)
    for (size_t q = 0; q < n; q++) U[k][q] = ring[k + 1][q] - ring[k][q];
  double C[K * K], w[K];
  for (int i = 0; i < K; i++)
    for (int j = i; j < K; j++) {
      double s = 0;
      for (size_t q = 0; q < n; q++) s += U[i][q] * U[j][q];
      C[i + j * K] = s;
      C[j + i * K] = s;
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

// GtR -= G_A^T G_j delta_j for block j.
void SubtractGramBlock(const L21Problem& p, int j, const double* delta, double* R) {
  const int a = p.a, T = p.T;
  for (int c = 0; c < p.nOrient; c++) {
    const double* col = p.GtG + size_t(j * p.nOrient + c) * a;
    const double* d = delta + size_t(c) * T;
    for (int r = 0; r < a; r++) {
      const double w = col[r];
      if (w == 0) continue;
      double* ro = R + size_t(r) * T;
      for (int t = 0; t < T; t++) ro[t] -= w * d[t];
    }
  }
}

}  // namespace

Status BcdGram(const L21Problem& p, const L21Run& r, double* X, double* E, L21Outcome* out) {
  const int a = p.a, T = p.T, no = p.nOrient, nb = a / no;
  const size_t len = size_t(no) * T, n = size_t(a) * T;
  std::vector<double> R(n), xNew(len), delta(len), accR(n), acc(n);
  ResidualCorrelation(p, X, R.data());
  std::vector<std::vector<double>> ring;
  if (r.anderson) ring.assign(kAndersonK + 1, std::vector<double>(n));
  double highestDual = -std::numeric_limits<double>::infinity();
  *out = L21Outcome{};
  out->gap = std::numeric_limits<double>::infinity();

  for (int i = 0; i < r.maxit; i++) {
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
      const double nR2 = ResidualNorm2(p, X, R.data());
      const double s = std::min(r.alpha / std::sqrt(MaxGroupNorm2(R.data(), nb, len)), 1.0);
      const double primal = 0.5 * nR2 + r.alpha * L21(X, nb, len);
      const double dual = (s - 0.5 * s * s) * nR2 + s * Dot(X, R.data(), n);
      highestDual = std::max(highestDual, dual);
      out->gap = primal - highestDual;
      E[out->nE++] = primal;
      if (out->gap < r.tol) {
        out->converged = true;
        break;
      }
    }

    if (r.anderson) {
      std::copy(X, X + n, ring[i % (kAndersonK + 1)].begin());
      if (i % (kAndersonK + 1) == kAndersonK) {
        double c[kAndersonK];
        if (!AndersonWeights(ring, c)) continue;
        std::fill(acc.begin(), acc.end(), 0.0);
        for (int k = 0; k < kAndersonK; k++)
          for (size_t q = 0; q < n; q++) acc[q] += ring[k][q] * c[k];
        // MNE squares the candidate in place (groups_norm2); see lib/sparse/bcd.ts.
        for (size_t q = 0; q < n; q++) acc[q] *= acc[q];
        ResidualCorrelation(p, acc.data(), accR.data());
        std::vector<double> cur(n);
        ResidualCorrelation(p, X, cur.data());
        if (Primal(p, acc.data(), accR.data(), r.alpha) < Primal(p, X, cur.data(), r.alpha)) {
          std::copy(acc.begin(), acc.end(), X);
          R.swap(accR);
        }
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

Status NormalOrth(int n, const double* normals, double* out) {
  for (int k = 0; k < n; k++) {
    const double* v = normals + 3 * size_t(k);
    double A[9], w[3];
    for (int i = 0; i < 3; i++)
      for (int j = 0; j < 3; j++) A[i + 3 * j] = (i == j ? 1.0 : 0.0) - v[i] * v[j];
    const int info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, 'V', 'L', 3, A, 3, w);
    if (info != 0) return Status::Lapack("dsyevd", info);
    const double dot = v[0] * A[0] + v[1] * A[1] + v[2] * A[2];
    const double sign = dot < 0 ? -1.0 : 1.0;
    double* o = out + 9 * size_t(k);
    for (int r = 0; r < 3; r++)
      for (int c = 0; c < 3; c++) o[3 * r + c] = sign * A[c + 3 * (2 - r)];
  }
  return Status::Ok();
}

void RotateSources(int nchan, int ns, const double* sol, const double* basis, bool fixed, double* out) {
  for (int k = 0; k < ns; k++) {
    const double* x = sol + size_t(3 * k) * nchan;
    const double* y = x + nchan;
    const double* z = y + nchan;
    for (int r = fixed ? 2 : 0; r < 3; r++) {
      const double* b = basis + 9 * size_t(k) + 3 * r;
      double* o = out + size_t(fixed ? k : 3 * k + r) * nchan;
      for (int i = 0; i < nchan; i++) o[i] = x[i] * b[0] + y[i] * b[1] + z[i] * b[2];
      if (fixed)
        for (int i = 0; i < nchan; i++) o[i] = double(float(o[i]));
    }
  }
}

namespace {

double Frobenius(const std::vector<double>& a) {
  double s = 0;
  for (double v : a) s += v * v;
  return std::sqrt(s);
}

// MNE's power_iteration_kron: largest singular value of kron(CCT, ATA), |L - L0| < 1e-3 to stop.
double PowerIterationKron(int n, const double* ATA, const double* CCT, const double* B0) {
  const size_t nn = size_t(n) * n;
  std::vector<double> B(B0, B0 + nn), tmp(nn), Y(nn);
  const double fro = Frobenius(B);
  for (double& v : B) v /= fro;
  double L0 = std::numeric_limits<double>::infinity(), L = 0;
  for (int it = 0; it < 1000; it++) {
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, ATA, n, B.data(), n, 0.0, tmp.data(), n);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, tmp.data(), n, CCT, n, 0.0, Y.data(), n);
    L = Frobenius(Y);
    if (std::fabs(L - L0) < 1e-3) break;
    for (size_t k = 0; k < nn; k++) B[k] = Y[k] / L;
    L0 = L;
  }
  return L;
}

}  // namespace

void ComputeBias(int n, int T, int nOrient, const double* GtG, const double* GtM, const double* X, const double* CCT,
                 const double* B, int maxIter, double tol, double* Dout) {
  if (n == 0) return;
  const double L = 1.1 * PowerIterationKron(n, GtG, CCT, B);
  const size_t nT = size_t(n) * T;
  std::vector<double> D(n, 1.0), D0(n), Y(n, 1.0), YX(nT), GtR(nT);
  double t = 1;
  for (int i = 0; i < maxIter; i++) {
    D0 = D;
    for (int c = 0; c < T; c++)
      for (int r = 0; r < n; r++) YX[r + size_t(c) * n] = Y[r] * X[r + size_t(c) * n];
    // GtR = GᵀM − GᵀG·diag(Y)·X, the product first, as the TypeScript reference rounds it.
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, T, n, -1.0, GtG, n, YX.data(), n, 0.0, GtR.data(), n);
    for (size_t k = 0; k < nT; k++) GtR[k] += GtM[k];
    for (int r = 0; r < n; r++) {
      double s = 0;
      for (int c = 0; c < T; c++) s += GtR[r + size_t(c) * n] * X[r + size_t(c) * n];
      D[r] = Y[r] + s / L;
    }
    if (nOrient != 1) {
      for (int b = 0; b < n; b += nOrient) {
        double m = 0;
        for (int c = 0; c < nOrient; c++) m += D[b + c];
        m /= nOrient;
        for (int c = 0; c < nOrient; c++) D[b + c] = m;
      }
    }
    for (int r = 0; r < n; r++) D[r] = std::max(D[r], 1.0);
    const double t0 = t;
    t = 0.5 * (1 + std::sqrt(1 + 4 * t * t));
    const double dt = (t0 - 1) / t;
    double diff = 0;
    for (int r = 0; r < n; r++) {
      Y[r] = D[r] + dt * (D[r] - D0[r]);
      diff = std::max(diff, std::fabs(D[r] - D0[r]));
    }
    if (diff < tol) break;
  }
  std::copy(D.begin(), D.end(), Dout);
}

void ColumnNorms2(int rows, int cols, const double* A, double* out) {
  for (int j = 0; j < cols; j++) {
    const double* c = A + size_t(j) * rows;
    double s = 0;
    for (int i = 0; i < rows; i++) s += c[i] * c[i];
    out[j] = s;
  }
}

void ScaleColumns(int rows, int cols, double* A, const double* s) {
  for (int j = 0; j < cols; j++) {
    double* c = A + size_t(j) * rows;
    const double f = s[j];
    for (int i = 0; i < rows; i++) c[i] *= f;
  }
}

size_t WidenBigEndian(const unsigned char* src, int width, int n, int ncol, double* out, int outRows, int rowOffset) {
  size_t bad = 0;
  for (int j = 0; j < ncol; j++) {
    double* o = out + size_t(j) * outRows + rowOffset;
    const unsigned char* p = src + size_t(j) * n * width;
    for (int i = 0; i < n; i++, p += width) {
      double v;
      if (width == 4) {
        const uint32_t u = uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
        float f;
        std::memcpy(&f, &u, 4);
        v = f;
      } else {
        uint64_t u = 0;
        for (int b = 0; b < 8; b++) u = u << 8 | p[b];
        std::memcpy(&v, &u, 8);
      }
      if (!std::isfinite(v)) bad++;
      o[i] = v;
    }
  }
  return bad;
}

namespace {

// Largest eigenvalue of a symmetric PSD 3x3 matrix: trigonometric closed form, then Newton on
// the characteristic polynomial (the closed form alone loses digits when the others are close).
double LargestEigenvalue3(const double m[3][3]) {
  const double a = m[0][0], b = m[1][1], c = m[2][2], p = m[0][1], q = m[0][2], r = m[1][2];
  const double p1 = p * p + q * q + r * r;
  if (p1 == 0) return std::max(a, std::max(b, c));
  const double t = (a + b + c) / 3;
  const double p2 = (a - t) * (a - t) + (b - t) * (b - t) + (c - t) * (c - t) + 2 * p1;
  const double s = std::sqrt(p2 / 6);
  double B[3][3];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) B[i][j] = (m[i][j] - (i == j ? t : 0)) / s;
  const double detB = B[0][0] * (B[1][1] * B[2][2] - B[1][2] * B[2][1]) - B[0][1] * (B[1][0] * B[2][2] - B[1][2] * B[2][0]) +
                      B[0][2] * (B[1][0] * B[2][1] - B[1][1] * B[2][0]);
  double x = t + 2 * s * std::cos(std::acos(std::min(1.0, std::max(-1.0, detB / 2))) / 3);
  const double tr = a + b + c;
  const double c2 = a * b + a * c + b * c - p * p - q * q - r * r;
  const double det = a * (b * c - r * r) - p * (p * c - r * q) + q * (p * r - b * q);
  for (int it = 0; it < 3; it++) {
    const double f = ((x - tr) * x + c2) * x - det;
    const double df = (3 * x - 2 * tr) * x + c2;
    if (!(df > 0)) break;
    const double step = f / df;
    x -= step;
    if (std::fabs(step) <= 1e-17 * std::fabs(x)) break;
  }
  return x;
}

}  // namespace

void DepthGramsF32(int nrow, int ns, const double* G, const double* rows, int nr, double* d) {
  for (int k = 0; k < ns; k++) {
    const double* col[3] = {G + size_t(3 * k) * nrow, G + size_t(3 * k + 1) * nrow, G + size_t(3 * k + 2) * nrow};
    double m[3][3];
    for (int i = 0; i < 3; i++)
      for (int j = i; j < 3; j++) {
        float acc = 0;
        for (int q = 0; q < nr; q++) {
          const size_t rr = size_t(rows[q]);
          const float prod = float(col[i][rr]) * float(col[j][rr]);
          acc = acc + prod;
        }
        m[i][j] = m[j][i] = acc;
      }
    d[k] = double(float(LargestEigenvalue3(m)));
  }
}

void RotateSourcesInPlace(int rows, int ns, double* A, const double* basis) {
  std::vector<double> tmp(size_t(3) * rows);
  for (int k = 0; k < ns; k++) {
    double* x = A + size_t(3 * k) * rows;
    std::copy(x, x + size_t(3) * rows, tmp.begin());
    const double* a = tmp.data();
    const double* b = a + rows;
    const double* c = b + rows;
    for (int r = 0; r < 3; r++) {
      const double* v = basis + 9 * size_t(k) + 3 * r;
      double* o = x + size_t(r) * rows;
      for (int i = 0; i < rows; i++) o[i] = a[i] * v[0] + b[i] * v[1] + c[i] * v[2];
    }
  }
}

}  // namespace mxne
