/**
 * The TF-MxNE problem in the solver's units and what every step shares: data M (nSensors × T), gain
 * G (nSensors × nPositions·nOrient), the dictionary, the penalty, one Lipschitz constant per
 * position (‖G_jᵀG_j‖₂) and the optional reweighting weights. Also MNE's dual gap (dgap_l21l1)
 * and the ε-inf norm of Φ(GᵀR) it rests on (norm_epsilon_inf), which gives alpha_max too.
 */
import { gemm, gemmAsync } from '../../linalg/blas.js';
import { Matrix } from '../../linalg/matrix.js';
import { eigh } from '../../linalg/decomp.js';
import { largestEigenvalueSym3 } from '../../linalg/sym3.js';
import { dot } from '../groupNorms.js';
import type { L21L1Penalty, TfBlock } from './l21l1Penalty.js';
import type { TfDictionary } from './tfDictionary.js';
import { yieldEvery } from './yieldEvery.js';

/** Reweighting weights: per position (space) and per position × coefficient (time, row-major). */
export interface TfWeights { space: Float64Array | null; time: Float64Array | null }

export interface TfProblem {
  M: Matrix;
  G: Matrix;
  nOrient: number;
  dict: TfDictionary;
  penalty: L21L1Penalty;
  lipschitz: Float64Array;
  weights: TfWeights;
}

/** Active positions (ascending) → their coefficients. */
export type TfCoefs = Map<number, TfBlock>;

/** MNE's Lipschitz constants of tf_mixed_norm_solver: ‖g_j‖² (fixed) or ‖G_jᵀG_j‖₂ per position (any block size). */
export function tfLipschitz(G: Matrix, nOrient: number): Float64Array {
  const nPos = G.cols / nOrient;
  const out = new Float64Array(nPos);
  for (let j = 0; j < nPos; j++) {
    const Gj = G.colRange(j * nOrient, (j + 1) * nOrient);
    const GtG = gemm(Gj, Gj, { transA: true });
    if (nOrient === 1) out[j] = GtG.data[0];
    else if (nOrient === 3) out[j] = largestEigenvalueSym3(GtG.toRows());
    else out[j] = eigh(GtG).values[nOrient - 1];
  }
  return out;
}

/** Rows of the active blocks stacked (positions ascending) and their gain columns. */
export function stackActive(p: TfProblem, Z: TfCoefs): { positions: number[]; re: Float64Array; im: Float64Array; cols: number[] } {
  const positions = [...Z.keys()].sort((a, b) => a - b);
  const C = p.dict.nCoefs, no = p.nOrient;
  const re = new Float64Array(positions.length * no * C), im = new Float64Array(positions.length * no * C);
  const cols: number[] = [];
  positions.forEach((pos, a) => {
    const b = Z.get(pos)!;
    re.set(b.re, a * no * C);
    im.set(b.im, a * no * C);
    for (let o = 0; o < no; o++) cols.push(pos * no + o);
  });
  return { positions, re, im, cols };
}

/** X = Φᵀ(Z) of the active rows (nActiveCols × T) and G·X. */
export function activeFit(p: TfProblem, Z: TfCoefs): { X: Matrix; GX: Matrix; cols: number[] } {
  const s = stackActive(p, Z);
  const X = p.dict.phiT(s.re, s.im, s.cols.length);
  const GX = s.cols.length === 0 ? new Matrix(p.M.rows, p.M.cols) : gemm(p.G.pickCols(s.cols), X);
  return { X, GX, cols: s.cols };
}

/**
 * MNE's norm_epsilon_inf: the largest dual norm over positions of Φ(GᵀR), weighted as the penalty.
 * Positions are visited by decreasing upper bound and the scan stops when the bound cannot beat the
 * maximum so far: the penalty is at least (wSpace(1 − ε) + ε·min wTime)·‖·‖₂, so a position's dual
 * norm is at most ‖Φ(G_pᵀR)‖₂ / that factor, and ‖Φ(G_pᵀR)‖₂ = ‖G_pᵀR‖_F (the STFT is a tight
 * frame). Same maximum as the full scan, with far fewer STFTs.
 */
export async function normEpsilonInf(p: TfProblem, R: Matrix, RtG?: Matrix): Promise<number> {
  // (GᵀR)ᵀ, T × nColumns: each position's gradient is contiguous.
  const GtR = RtG ?? await gemmAsync(R, p.G, { transA: true });
  const no = p.nOrient, C = p.dict.nCoefs, n = GtR.cols, T = GtR.rows;
  const nPos = n / no;
  const { space, time } = p.weights;
  const eps = p.penalty.alphaTime / (p.penalty.alphaSpace + p.penalty.alphaTime);
  const bound = new Float64Array(nPos);
  for (let r = 0; r < n; r++) {
    let s2 = 0;
    for (let t = r * T; t < (r + 1) * T; t++) s2 += GtR.data[t] * GtR.data[t];
    bound[Math.floor(r / no)] += s2;
  }
  for (let j = 0; j < nPos; j++) {
    let wmin = 1;
    if (time !== null) {
      wmin = Infinity;
      for (let c = j * C; c < (j + 1) * C; c++) if (time[c] !== 0 && time[c] < wmin) wmin = time[c];
    }
    // (1 + 1e-9): the frame is tight to rounding, the bound must not be.
    bound[j] = (Math.sqrt(bound[j]) * (1 + 1e-9)) / ((space === null ? 1 : space[j]) * (1 - eps) + eps * wmin);
  }
  const order = Array.from({ length: nPos }, (_, j) => j).sort((a, b) => bound[b] - bound[a]);
  let nu = 0;
  const pause = yieldEvery();
  for (const j of order) {
    if (bound[j] <= nu) break;
    await pause();
    const y = p.penalty.orientNorms(p.dict.phi(GtR.colRange(j * no, (j + 1) * no).transpose()));
    const v = p.penalty.dualNorm(y, space === null ? 1 : space[j], time, j * C);
    if (v > nu) nu = v;
  }
  return nu;
}

export interface TfGap {
  gap: number; pObj: number; dObj: number;
  /** (GᵀR)ᵀ at the point certified (T × nColumns): the next full BCD pass starts from it. */
  RtG: Matrix;
}

/** MNE's dgap_l21l1: primal, dual (kept monotone through `highestDObj`), gap. */
export async function tfDualGap(p: TfProblem, Z: TfCoefs, highestDObj: number): Promise<TfGap> {
  const { GX } = activeFit(p, Z);
  const R = p.M.clone();
  for (let k = 0; k < R.data.length; k++) R.data[k] -= GX.data[k];
  const { space, time } = p.weights;
  const C = p.dict.nCoefs;
  let l21 = 0, l1 = 0;
  for (const [pos, b] of Z) {
    l21 += (space === null ? 1 : space[pos]) * p.penalty.l21(b);
    l1 += p.penalty.l1(b, time, pos * C);
  }
  const nR2 = dot(R.data, R.data);
  const { alphaSpace, alphaTime } = p.penalty;
  const pObj = 0.5 * nR2 + alphaSpace * l21 + alphaTime * l1;
  const RtG = await gemmAsync(R, p.G, { transA: true });
  const dual = await normEpsilonInf(p, R, RtG);
  const scaling = Math.min(1, (alphaSpace + alphaTime) / dual);
  const dObj = Math.max((scaling - 0.5 * scaling ** 2) * nR2 + scaling * dot(R.data, GX.data), highestDObj);
  return { gap: pObj - dObj, pObj, dObj, RtG };
}
