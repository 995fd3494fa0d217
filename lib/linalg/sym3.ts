/** Closed forms for symmetric 3×3 matrices (one per source in free orientation). */

/** Largest eigenvalue of a symmetric 3×3 matrix (trigonometric closed form). */
export function largestEigenvalueSym3(m: number[][]): number {
  const p1 = m[0][1] ** 2 + m[0][2] ** 2 + m[1][2] ** 2;
  const q = (m[0][0] + m[1][1] + m[2][2]) / 3;
  if (p1 === 0) return Math.max(m[0][0], m[1][1], m[2][2]);
  const p2 = (m[0][0] - q) ** 2 + (m[1][1] - q) ** 2 + (m[2][2] - q) ** 2 + 2 * p1;
  const p = Math.sqrt(p2 / 6);
  const b = m.map((row, i) => row.map((v, j) => (v - (i === j ? q : 0)) / p));
  const detB = b[0][0] * (b[1][1] * b[2][2] - b[1][2] * b[2][1]) - b[0][1] * (b[1][0] * b[2][2] - b[1][2] * b[2][0]) + b[0][2] * (b[1][0] * b[2][1] - b[1][1] * b[2][0]);
  const r = Math.min(1, Math.max(-1, detB / 2));
  return q + 2 * p * Math.cos(Math.acos(r) / 3);
}
