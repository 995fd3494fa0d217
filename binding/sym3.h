// The largest eigenvalue of a symmetric positive semi-definite 3x3 matrix (one source's block),
// shared by the float32 depth prior and the per-block Lipschitz constants.
#pragma once
#include <algorithm>
#include <cmath>

namespace mxne {

// Largest eigenvalue of a symmetric PSD 3x3 matrix: trigonometric closed form, then Newton on
// the characteristic polynomial (the closed form alone loses digits when the others are close).
inline double LargestEigenvalue3(const double m[3][3]) {
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

}  // namespace mxne
