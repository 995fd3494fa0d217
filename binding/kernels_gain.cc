// Passes over large gains (kernels.h): surface rotations, _normal_orth, big-endian widening,
// column norms and scaling, MNE's float32 depth Grams.
#include "kernels.h"
#include "sym3.h"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace mxne {

namespace {

// Transparent huge pages for a large output about to be written for the first time (Linux, where
// they are "madvise" by default): a fresh 50 MB gain otherwise takes ~13,000 page faults, each
// charged and zeroed separately, which cost more than the widening itself. Only whole 2 MiB
// pages inside the range are advised; it is advice, so a failure changes nothing.
void AdviseHugePages(void* p, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  const uintptr_t huge = uintptr_t(1) << 21;
  const uintptr_t start = (uintptr_t(p) + huge - 1) & ~(huge - 1);
  const uintptr_t end = (uintptr_t(p) + bytes) & ~(huge - 1);
  if (end > start) madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

}  // namespace

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

void ScaleRows(int rows, int cols, double* A, const double* s) {
  for (int j = 0; j < cols; j++) {
    double* c = A + size_t(j) * rows;
    for (int i = 0; i < rows; i++) c[i] *= s[i];
  }
}

void GatherColumns(int rows, const double* A, const double* cols, int n, double* out) {
  for (int j = 0; j < n; j++) std::memcpy(out + size_t(j) * rows, A + size_t(cols[j]) * rows, sizeof(double) * rows);
}

void DivideInPlace(size_t n, double* A, double d) {
  for (size_t k = 0; k < n; k++) A[k] /= d;
}

void RowNorms2Scaled(int rows, int cols, const double* A, const double* s, double* out) {
  for (int i = 0; i < rows; i++) out[i] = 0;
  for (int j = 0; j < cols; j++) {
    const double* c = A + size_t(j) * rows;
    const double f = s[j];
    if (f == 0) continue;
    for (int i = 0; i < rows; i++) {
      const double t = c[i] * f;
      out[i] += t * t;
    }
  }
}

size_t WidenBigEndian(const unsigned char* src, int width, int n, int ncol, double* out, int outRows, int rowOffset) {
  AdviseHugePages(out, size_t(outRows) * size_t(ncol) * sizeof(double));
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

void RotateSourcesInPlace(int rows, int ns, double* A, const double* basis, double* norms2) {
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
      if (norms2) {
        double s = 0;
        for (int i = 0; i < rows; i++) s += o[i] * o[i];
        norms2[3 * size_t(k) + r] = s;
      }
    }
  }
}


}  // namespace mxne
