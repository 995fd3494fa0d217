/**
 * Group norms over orientation blocks, as MNE's `groups_norm2` (the one helper: penalties/ builds on it).
 * Sources are stored transposed (a T × n Matrix: column j is source row j), so a block of
 * nOrient rows is nOrient·T contiguous values.
 */
import type { Matrix } from '../linalg/matrix.js';

/** ‖X_j‖²_F for each block j of nOrient source rows of Xt (T × n). */
export function groupsNorm2(Xt: Matrix, nOrient: number): Float64Array {
  const T = Xt.rows;
  const nb = Xt.cols / nOrient;
  const out = new Float64Array(nb);
  const d = Xt.data;
  const len = nOrient * T;
  for (let j = 0; j < nb; j++) {
    let s = 0;
    for (let k = j * len, e = k + len; k < e; k++) s += d[k] * d[k];
    out[j] = s;
  }
  return out;
}

/** Σ a∘b over all entries. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}
