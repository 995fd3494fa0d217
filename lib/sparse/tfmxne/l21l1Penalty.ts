/**
 * TF-MxNE's penalty, alphaSpace·‖Z‖_{2,1} + alphaTime·‖Z‖_1 on STFT coefficients (Gramfort et al.
 * 2013), as a small object — value, prox, dual norm — in the shape of the penalties of lib/sparse
 * (skglm's L2_1). Norms count each coefficient as MNE's stft_norm1/2 do (twice, except the DC and
 * Nyquist bins). A block is one source position: nOrient rows of nCoefs complex coefficients.
 * Optional weights (irTF-MxNE's reweighting): wSpace per position, wTime per position × coefficient.
 */
import type { TfDictionary } from './tfDictionary.js';

/** One position's coefficients: nOrient rows × nCoefs, row-major. */
export interface TfBlock { re: Float64Array; im: Float64Array }

export class L21L1Penalty {
  constructor(readonly alphaSpace: number, readonly alphaTime: number, readonly dict: TfDictionary, readonly nOrient: number) {}

  /** Per coefficient, the norm over orientations: sqrt(Σ_o |z_oc|²). */
  orientNorms(b: TfBlock): Float64Array {
    const C = this.dict.nCoefs, out = new Float64Array(C);
    for (let o = 0; o < this.nOrient; o++) for (let c = 0, k = o * C; c < C; c++, k++) out[c] += b.re[k] * b.re[k] + b.im[k] * b.im[k];
    for (let c = 0; c < C; c++) out[c] = Math.sqrt(out[c]);
    return out;
  }

  /** The L2,1 part of a block: sqrt of the block's squared norm (MNE norm_l21_tf, one position). */
  l21(b: TfBlock): number {
    let s = 0;
    for (const v of this.dict.norm2Rows(b.re, b.im, this.nOrient)) s += v;
    return Math.sqrt(s);
  }

  /** The L1 part of a block (MNE norm_l1_tf, one position), with optional per-coefficient weights. */
  l1(b: TfBlock, wTime: Float64Array | null = null, w0 = 0): number {
    const n = this.orientNorms(b), w = this.dict.freqWeight;
    let s = 0;
    for (let c = 0; c < n.length; c++) s += w[c] * (wTime === null ? n[c] : n[c] * wTime[w0 + c]);
    return s;
  }

  /** alphaSpace·wSpace·‖b‖_2 + alphaTime·‖b‖_{1,wTime}. */
  value(b: TfBlock, wSpace = 1, wTime: Float64Array | null = null, w0 = 0): number {
    return this.alphaSpace * wSpace * this.l21(b) + this.alphaTime * this.l1(b, wTime, w0);
  }

  /**
   * The prox of the block penalty scaled by 1/L, in place, as MNE's BCD applies it: soft-threshold
   * each coefficient's orientation norm by `timeLc` (per coefficient when `timeLcVec` is given),
   * then the block by `spaceLc`. Returns false when the block is zero (its contents are then stale).
   */
  prox(b: TfBlock, spaceLc: number, timeLc: number, timeLcVec: Float64Array | null = null, w0 = 0, wTime: Float64Array | null = null): boolean {
    const C = this.dict.nCoefs, no = this.nOrient;
    const n = this.orientNorms(b);
    let anyAbove = false;
    for (let c = 0; c < C; c++) if (n[c] > (timeLcVec === null ? timeLc : timeLcVec[w0 + c])) { anyAbove = true; break; }
    if (!anyAbove) return false;
    for (let c = 0; c < C; c++) {
      const a = timeLcVec === null ? timeLc : timeLcVec[w0 + c];
      let shrink = Math.max(1 - a / Math.max(n[c], a), 0);
      // A zero time weight excludes the coefficient (MNE: shrink[w_time == 0] = 0).
      if (wTime !== null && wTime[w0 + c] === 0) shrink = 0;
      for (let o = 0; o < no; o++) { b.re[o * C + c] *= shrink; b.im[o * C + c] *= shrink; }
    }
    const rowNorm = this.l21(b);
    if (rowNorm <= spaceLc) return false;
    const shrink = Math.max(1 - spaceLc / Math.max(rowNorm, spaceLc), 0);
    for (let k = 0; k < b.re.length; k++) { b.re[k] *= shrink; b.im[k] *= shrink; }
    return true;
  }

  /**
   * The dual norm at one position (MNE's norm_epsilon, Burdakov & Merkulov 2001): the ε-norm of the
   * orientation norms y (≥ 0) of a position's coefficients, with l1Ratio = alphaTime/(alphaSpace + alphaTime).
   */
  dualNorm(y: Float64Array, wSpace = 1, wTime: Float64Array | null = null, w0 = 0): number {
    return normEpsilon(y, this.alphaTime / (this.alphaSpace + this.alphaTime), this.dict.freqWeight, wSpace, wTime, w0);
  }
}

/** MNE 1.3's norm_epsilon: the dual norm of wSpace·(1 − l1Ratio)‖·‖_2 + l1Ratio‖·‖_{1,wTime}, counting each coefficient `count[c]` times. */
export function normEpsilon(Y: Float64Array, l1Ratio: number, count: Float64Array, wSpace = 1, wTime: Float64Array | null = null, w0 = 0): number {
  // Zero time weights are excluded.
  let y: Float64Array = Y, fc: Float64Array = count, wt: Float64Array | null = null;
  if (wTime !== null) {
    const keep: number[] = [];
    for (let c = 0; c < Y.length; c++) if (wTime[w0 + c] !== 0) keep.push(c);
    y = Float64Array.from(keep, (c) => Y[c]);
    fc = Float64Array.from(keep, (c) => count[c]);
    wt = Float64Array.from(keep, (c) => wTime[w0 + c]);
  }
  let normInf = 0;
  for (let c = 0; c < y.length; c++) normInf = Math.max(normInf, wt === null ? y[c] : y[c] / wt[c]);
  if (l1Ratio === 1) return normInf;
  if (l1Ratio === 0) {
    let s = 0;
    for (let c = 0; c < y.length; c++) s += fc[c] * y[c] * y[c];
    return Math.sqrt(s);
  }
  if (normInf === 0) return 0;
  // Entries below this lower bound of the dual norm cannot matter.
  let bound = l1Ratio * normInf;
  if (wt !== null) {
    let m = 0;
    for (let c = 0; c < y.length; c++) m = Math.max(m, y[c] / (wSpace * (1 - l1Ratio) + l1Ratio * wt[c]));
    bound = l1Ratio * m;
  }
  // The entries above the bound, by decreasing y/w, each repeated count[c] times (MNE: argsort, np.repeat).
  const sorted = sortedAbove(y, fc, wt, bound);
  if (sorted.n === 1) return normInf;
  let sY2 = 0, sW2 = 0, sYw = 0;
  const thr = (wSpace ** 2 * (1 - l1Ratio) ** 2) / l1Ratio ** 2;
  // Accumulate until the first entry whose `upper` exceeds thr (MNE's i0).
  outer: for (let e = 0; e < sorted.n; e++) {
    const yc = sorted.y[e], w = sorted.w[e], v = yc / w;
    for (let r = 0; r < sorted.count[e]; r++) {
      const nY2 = sY2 + yc * yc, nW2 = sW2 + w * w, nYw = sYw + yc * w;
      const upper = nY2 / (v * v) - (2 * nYw) / v + nW2;
      if (upper > thr) break outer;
      sY2 = nY2; sW2 = nW2; sYw = nYw;
    }
  }
  const denom = l1Ratio ** 2 * sW2 - wSpace ** 2 * (1 - l1Ratio) ** 2;
  if (Math.abs(denom) < 1e-10) return sY2 / (2 * l1Ratio * sYw);
  const delta = (l1Ratio * sYw) ** 2 - sY2 * denom;
  return (l1Ratio * sYw - Math.sqrt(delta)) / denom;
}

/**
 * Entries with y > bound, sorted by decreasing y/w. Without weights (the common case) the values
 * counted once and twice are sorted apart by the typed-array sort and merged, which is much faster
 * than a comparator sort of indices; ties may come in any order (the result does not depend on it).
 */
function sortedAbove(y: Float64Array, count: Float64Array, wt: Float64Array | null, bound: number): { n: number; y: Float64Array; w: Float64Array; count: Float64Array } {
  if (wt === null) {
    const ones: number[] = [], twos: number[] = [];
    for (let c = 0; c < y.length; c++) if (y[c] > bound) (count[c] === 1 ? ones : twos).push(y[c]);
    const a = Float64Array.from(ones).sort().reverse(), b = Float64Array.from(twos).sort().reverse();
    const n = a.length + b.length;
    const out = { n, y: new Float64Array(n), w: new Float64Array(n).fill(1), count: new Float64Array(n) };
    for (let i = 0, j = 0, e = 0; e < n; e++) {
      if (j >= b.length || (i < a.length && a[i] >= b[j])) { out.y[e] = a[i++]; out.count[e] = 1; } else { out.y[e] = b[j++]; out.count[e] = 2; }
    }
    return out;
  }
  const idx: number[] = [];
  for (let c = 0; c < y.length; c++) if (y[c] > bound) idx.push(c);
  idx.sort((p, q) => y[q] / wt[q] - y[p] / wt[p]);
  return { n: idx.length, y: Float64Array.from(idx, (c) => y[c]), w: Float64Array.from(idx, (c) => wt[c]), count: Float64Array.from(idx, (c) => count[c]) };
}
