/**
 * MNE 1.3's _tf_mixed_norm_solver_bcd_: block coordinate descent on the L2,1 + L1 problem over a
 * list of candidate positions. Per position: a gradient step G_jᵀR/L_j (BLAS), the prox of the
 * penalty on its STFT coefficients (l21l1Penalty.ts), and the residual update; the duality gap
 * every dgapFreq epochs. `perc` (MNE's) stops once at most that fraction of the positions is active.
 *
 * Over many candidates (the full passes of the active-set loop) the gradients come from RᵀG, one
 * GEMM per epoch, kept current after each change of R = R + G_j·D by the Gram columns (G_jᵀG)ᵀ·D
 * of the positions still to visit (skglm's Gram form): the same numbers, without one small product
 * per position.
 */
import { gemm, gemmAsync } from '../../linalg/blas.js';
import { Matrix } from '../../linalg/matrix.js';
import { yieldEvery } from './yieldEvery.js';
import { activeFit, tfDualGap, type TfCoefs, type TfGap, type TfProblem } from './tfProblem.js';

export interface TfBcdSettings {
  maxit: number;
  /** Absolute duality-gap tolerance. */
  tol: number;
  dgapFreq: number;
  perc: number | null;
}

export interface TfBcdOutcome {
  /** Primal objective at each gap check. */
  E: number[];
  converged: boolean;
  epochs: number;
  lastGap: TfGap | null;
}

/** Candidates from which the gradients come from RᵀG (below, one small GEMM per position is as cheap). */
const GRAM_FROM = 32;

/** (RᵀG)[:, c0 .. c0 + no)ᵀ · scale: G_jᵀR/L as an no × T matrix. */
function scaledTranspose(RtG: Matrix, c0: number, no: number, scale: number): Matrix {
  const T = RtG.rows, out = new Matrix(no, T);
  for (let o = 0; o < no; o++) for (let t = 0; t < T; t++) out.data[o + t * no] = RtG.data[t + (c0 + o) * T] * scale;
  return out;
}

/** After R ← R − G_j·D: RᵀG of the positions after j minus Dᵀ·(G_jᵀ G_rest). */
function gramUpdate(RtG: Matrix, G: Matrix, j: number, no: number, D: Matrix): void {
  const start = (j + 1) * no;
  if (start >= G.cols) return;
  const rest = G.colRange(start, G.cols);
  const H = gemm(G.colRange(j * no, start), rest, { transA: true });
  gemm(D, H, { transA: true, alpha: -1, beta: 1, out: RtG.colRange(start, G.cols) });
}

/** Runs BCD in place on Z over `candidates` (positions of p), starting from the residual of Z; `startRtG` (RᵀG at that residual) saves the first epoch's GEMM. */
export async function tfBcd(p: TfProblem, Z: TfCoefs, candidates: readonly number[], s: TfBcdSettings, startRtG?: Matrix): Promise<TfBcdOutcome> {
  const { G, nOrient: no, dict, penalty, lipschitz } = p;
  const { space, time } = p.weights;
  const C = dict.nCoefs;
  const R = p.M.clone();
  const { GX } = activeFit(p, Z);
  for (let k = 0; k < R.data.length; k++) R.data[k] -= GX.data[k];
  const E: number[] = [];
  let converged = false, dObj = -Infinity, epochs = 0, lastGap: TfGap | null = null;
  const timeLc = new Float64Array(C);
  const cached = candidates.length >= GRAM_FROM;
  const pause = yieldEvery();
  for (let i = 0; i < s.maxit; i++) {
    epochs = i + 1;
    const RtG = !cached ? null : i === 0 && startRtG !== undefined ? startRtG : await gemmAsync(R, G, { transA: true });
    for (const j of candidates) {
      await pause();
      const L = lipschitz[j];
      const spaceLc = (penalty.alphaSpace * (space === null ? 1 : space[j])) / L;
      const Gj = G.colRange(j * no, (j + 1) * no);
      const GTR = RtG === null ? gemm(Gj, R, { transA: true, alpha: 1 / L }) : scaledTranspose(RtG, j * no, no, 1 / L);
      const old = Z.get(j);
      const Xnew = GTR.clone();
      // D: the change of X_j, for the Gram update of RᵀG (R changes by −G_j·D).
      const D = RtG === null ? null : new Matrix(no, R.cols);
      if (old !== undefined) {
        const Xj = dict.phiT(old.re, old.im, no);
        gemm(Gj, Xj, { out: R, beta: 1 });
        for (let k = 0; k < Xnew.data.length; k++) Xnew.data[k] += Xj.data[k];
        if (D !== null) for (let k = 0; k < D.data.length; k++) D.data[k] = -Xj.data[k];
      }
      const update = () => { if (RtG !== null && (old !== undefined || Z.has(j))) gramUpdate(RtG, G, j, no, D!); };
      if (Xnew.frobeniusNorm() <= spaceLc) {
        Z.delete(j);
        update();
        continue;
      }
      const b = dict.phi(GTR);
      if (old !== undefined) for (let k = 0; k < b.re.length; k++) { b.re[k] += old.re[k]; b.im[k] += old.im[k]; }
      let alive: boolean;
      if (time === null) alive = penalty.prox(b, spaceLc, penalty.alphaTime / L);
      else {
        for (let c = 0; c < C; c++) timeLc[c] = (penalty.alphaTime * time[j * C + c]) / L;
        alive = penalty.prox(b, spaceLc, 0, timeLc, 0, time.subarray(j * C, (j + 1) * C));
      }
      if (!alive) { Z.delete(j); update(); continue; }
      Z.set(j, b);
      const Xb = dict.phiT(b.re, b.im, no);
      gemm(Gj, Xb, { out: R, beta: 1, alpha: -1 });
      if (D !== null) for (let k = 0; k < D.data.length; k++) D.data[k] += Xb.data[k];
      update();
    }
    if ((i + 1) % s.dgapFreq === 0) {
      lastGap = await tfDualGap(p, Z, dObj);
      dObj = lastGap.dObj;
      converged = lastGap.gap < s.tol;
      E.push(lastGap.pObj);
    }
    if (converged) break;
    if (s.perc !== null && Z.size <= s.perc * (G.cols / no)) break;
  }
  return { E, converged, epochs, lastGap };
}

