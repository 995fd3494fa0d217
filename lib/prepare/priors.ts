/**
 * Depth and orientation priors of MNE 1.3 (`compute_depth_prior`, `compute_orient_prior`).
 * Two depth flavours exist: the minimum-norm one (gradiometer rows, largest eigenvalue of each
 * source's 3×3 Gram, limit 10) and the sparse solvers' one (whitened gain, squared Frobenius
 * norm per source, no limit).
 */
import type { Matrix } from '../linalg/matrix.js';
import type { Info } from '../records/info.js';
import { largestEigenvalueSym3 } from '../linalg/sym3.js';

export interface DepthOptions {
  exp: number;
  /** Upper bound on the prior's dynamic range, or null for none. */
  limit: number | null;
  /** true: the best single channel type; 'whiten': the whitened gain of all channels. */
  limitDepthChs: true | 'whiten';
  combineXyz: 'fro' | 'spectral';
}

/** MNE's defaults: `depth_mne` for make_inverse_operator, `depth_sparse` for mixed_norm. */
export const DEPTH_MNE = { limit: 10, limitDepthChs: true, combineXyz: 'spectral' } as const;
export const DEPTH_SPARSE = { limit: null, limitDepthChs: 'whiten', combineXyz: 'fro' } as const;

/**
 * One value per gain column. `g` is the gain the prior is computed on: the whitened gain for
 * limitDepthChs 'whiten', the rows of `depthChannels` otherwise (nOrient columns per source).
 */
export function depthPrior(g: Matrix, nOrient: 1 | 3, o: DepthOptions): Float64Array {
  const ns = g.cols / nOrient;
  const d = new Float64Array(ns);
  for (let k = 0; k < ns; k++) d[k] = nOrient === 1 || o.combineXyz === 'fro' ? blockFro2(g, k, nOrient) : blockSpectral(g, k);
  return depthWeights(d, nOrient, o);
}

/** The prior from each source's sensitivity d (squared Frobenius or spectral norm of its gain). */
export function depthWeights(sensitivity: Float64Array, nOrient: 1 | 3, o: DepthOptions): Float64Array {
  const d = Float64Array.from(sensitivity);
  const ns = d.length;
  // A spherical lead field can vanish at the centre.
  let dmin = Infinity;
  for (const v of d) if (v !== 0 && v < dmin) dmin = v;
  for (let k = 0; k < ns; k++) if (d[k] === 0) d[k] = dmin;
  const w = new Float64Array(ns);
  for (let k = 0; k < ns; k++) w[k] = 1 / d[k];
  if (o.limit !== null) {
    // MNE-C: cap the prior's range at limit² above the smallest weight.
    const ws = Float64Array.from(w).sort();
    const cap = o.limit * o.limit;
    let lim = ws[ws.length - 1];
    if (ws[ws.length - 1] > cap * ws[0]) lim = ws.find((v) => v > cap * ws[0])!;
    for (let k = 0; k < ns; k++) w[k] = Math.min(w[k] / lim, 1);
  }
  const out = new Float64Array(ns * nOrient);
  for (let k = 0; k < ns; k++) for (let c = 0; c < nOrient; c++) out[k * nOrient + c] = w[k] ** o.exp;
  return out;
}

/** MNE's `_restrict_gain_matrix`: indices of the gradiometers, else magnetometers, else EEG. */
export function depthChannels(info: Info): number[] {
  for (const type of ['grad', 'mag', 'eeg'] as const) {
    const sel = info.chs.flatMap((ch, k) => (ch.type === type ? [k] : []));
    if (sel.length > 0) return sel;
  }
  return info.chs.map((_, k) => k);
}

function blockFro2(g: Matrix, k: number, nOrient: number): number {
  let s = 0;
  const from = k * nOrient * g.rows, to = from + nOrient * g.rows;
  for (let i = from; i < to; i++) s += g.data[i] * g.data[i];
  return s;
}

/** Largest eigenvalue of the 3×3 Gram of source k's columns (closed form for symmetric 3×3). */
function blockSpectral(g: Matrix, k: number): number {
  const a = [g.col(3 * k), g.col(3 * k + 1), g.col(3 * k + 2)];
  const m = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let i = 0; i < 3; i++) for (let j = i; j < 3; j++) {
    let s = 0;
    for (let r = 0; r < g.rows; r++) s += a[i][r] * a[j][r];
    m[i][j] = m[j][i] = s;
  }
  return largestEigenvalueSym3(m);
}

/** MNE's compute_orient_prior: `loose` on the two tangential columns of surface sources, 1 elsewhere. */
export function orientPrior(spaces: { type: string; nuse: number }[], loose: number): Float64Array {
  const n = spaces.reduce((s, sp) => s + 3 * sp.nuse, 0);
  const out = new Float64Array(n).fill(1);
  if (loose === 1) return out;
  let start = 0;
  for (const s of spaces) {
    const use = s.type === 'vol' ? 1 : loose;
    for (let k = 0; k < s.nuse; k++) { out[start + 3 * k] *= use; out[start + 3 * k + 1] *= use; }
    start += 3 * s.nuse;
  }
  return out;
}
