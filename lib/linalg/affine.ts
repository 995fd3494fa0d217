/** 4 × 4 affine transforms as row-major number arrays (MGH voxel→RAS, MRI↔head): apply, invert, compose. */
import type { Matrix } from './matrix.js';

export type Affine = number[];

export function applyAffine(a: Affine, p: ArrayLike<number>): [number, number, number] {
  return [0, 1, 2].map((r) => a[4 * r] * p[0] + a[4 * r + 1] * p[1] + a[4 * r + 2] * p[2] + a[4 * r + 3]) as [number, number, number];
}

/** The linear part only (directions, orientations). */
export function applyLinear(a: Affine, v: ArrayLike<number>): [number, number, number] {
  return [0, 1, 2].map((r) => a[4 * r] * v[0] + a[4 * r + 1] * v[1] + a[4 * r + 2] * v[2]) as [number, number, number];
}

export function composeAffine(a: Affine, b: Affine): Affine {
  const out = new Array<number>(16).fill(0);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 4; k++) out[4 * i + j] += a[4 * i + k] * b[4 * k + j];
  return out;
}

/** Inverse of an affine with an invertible 3 × 3 part (cofactors; these are 3 × 3, no LAPACK needed). */
export function invertAffine(a: Affine): Affine {
  const m = (r: number, c: number) => a[4 * r + c];
  const cof = [
    m(1, 1) * m(2, 2) - m(1, 2) * m(2, 1), m(0, 2) * m(2, 1) - m(0, 1) * m(2, 2), m(0, 1) * m(1, 2) - m(0, 2) * m(1, 1),
    m(1, 2) * m(2, 0) - m(1, 0) * m(2, 2), m(0, 0) * m(2, 2) - m(0, 2) * m(2, 0), m(0, 2) * m(1, 0) - m(0, 0) * m(1, 2),
    m(1, 0) * m(2, 1) - m(1, 1) * m(2, 0), m(0, 1) * m(2, 0) - m(0, 0) * m(2, 1), m(0, 0) * m(1, 1) - m(0, 1) * m(1, 0),
  ];
  const det = m(0, 0) * cof[0] + m(0, 1) * cof[3] + m(0, 2) * cof[6];
  if (det === 0 || !Number.isFinite(det)) throw new RangeError('Expected an invertible affine transform but its 3 × 3 part is singular');
  const inv = cof.map((x) => x / det);
  const t = [0, 1, 2].map((r) => -(inv[3 * r] * m(0, 3) + inv[3 * r + 1] * m(1, 3) + inv[3 * r + 2] * m(2, 3)));
  return [inv[0], inv[1], inv[2], t[0], inv[3], inv[4], inv[5], t[1], inv[6], inv[7], inv[8], t[2], 0, 0, 0, 1];
}

/** A 4 × 4 `Matrix` (as FIF transforms are read) as a row-major affine. */
export function affineOf(m: Matrix): Affine {
  return Array.from({ length: 16 }, (_, k) => m.get(Math.floor(k / 4), k % 4));
}
