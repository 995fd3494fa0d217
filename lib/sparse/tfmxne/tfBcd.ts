/**
 * MNE 1.3's _tf_mixed_norm_solver_bcd_: block coordinate descent on the L2,1 + L1 problem over a
 * list of candidate positions. Per position: a gradient step G_jᵀR/L_j (BLAS), the prox of the
 * penalty on its STFT coefficients (l21l1Penalty.ts), and the residual update; the duality gap
 * every dgapFreq epochs. `perc` (MNE's) stops once at most that fraction of the positions is active.
 */
import { gemm } from '../../linalg/blas.js';
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

/** Runs BCD in place on Z over `candidates` (positions of p), starting from the residual of Z. */
export function tfBcd(p: TfProblem, Z: TfCoefs, candidates: readonly number[], s: TfBcdSettings): TfBcdOutcome {
  const { G, nOrient: no, dict, penalty, lipschitz } = p;
  const { space, time } = p.weights;
  const C = dict.nCoefs;
  const R = p.M.clone();
  const { GX } = activeFit(p, Z);
  for (let k = 0; k < R.data.length; k++) R.data[k] -= GX.data[k];
  const E: number[] = [];
  let converged = false, dObj = -Infinity, epochs = 0, lastGap: TfGap | null = null;
  const timeLc = new Float64Array(C);
  for (let i = 0; i < s.maxit; i++) {
    epochs = i + 1;
    for (const j of candidates) {
      const L = lipschitz[j];
      const spaceLc = (penalty.alphaSpace * (space === null ? 1 : space[j])) / L;
      const Gj = G.colRange(j * no, (j + 1) * no);
      const GTR = gemm(Gj, R, { transA: true, alpha: 1 / L });
      const old = Z.get(j);
      const Xnew = GTR.clone();
      if (old !== undefined) {
        const Xj = dict.phiT(old.re, old.im, no);
        gemm(Gj, Xj, { out: R, beta: 1 });
        for (let k = 0; k < Xnew.data.length; k++) Xnew.data[k] += Xj.data[k];
      }
      if (Xnew.frobeniusNorm() <= spaceLc) {
        Z.delete(j);
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
      if (!alive) { Z.delete(j); continue; }
      Z.set(j, b);
      gemm(Gj, dict.phiT(b.re, b.im, no), { out: R, beta: 1, alpha: -1 });
    }
    if ((i + 1) % s.dgapFreq === 0) {
      lastGap = tfDualGap(p, Z, dObj);
      dObj = lastGap.dObj;
      converged = lastGap.gap < s.tol;
      E.push(lastGap.pObj);
    }
    if (converged) break;
    if (s.perc !== null && Z.size <= s.perc * (G.cols / no)) break;
  }
  return { E, converged, epochs, lastGap };
}

