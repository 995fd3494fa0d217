/**
 * The fixed-orientation path of MNE 1.3 (`solver='cd'`), which hands the problem to
 * scikit-learn's MultiTaskLasso (cyclic coordinate descent, `enet_coordinate_descent_multi_task`).
 * Reproduced in Gram form with scikit-learn's rules: no acceleration, and the duality gap (its
 * own formula) checked only after an epoch whose largest coefficient change is below
 * tol_rel·max|W|, where tol_rel = tol / ‖M‖² as MNE passes it.
 */
import { Matrix } from '../linalg/matrix.js';
import { residualCorrelation, type BcdResult, type GramProblem } from './bcd.js';
import { dot } from './groupNorms.js';

export interface CdOptions {
  alpha: number;
  maxit: number;
  /** MNE's (absolute) tolerance on the gap. */
  tol: number;
  init: Matrix | null;
}

export function cdGram(p: GramProblem, o: CdOptions): BcdResult {
  const { GtG, GtMt } = p;
  const a = GtG.rows, T = GtMt.rows;
  const Xt = o.init ? o.init.clone() : new Matrix(T, a);
  const X = Xt.data;
  const GtRt = residualCorrelation(p, Xt);
  const R = GtRt.data;
  const dwTol = o.tol / p.normM2;
  const tol = dwTol * p.normM2;
  const w = new Float64Array(T);
  const delta = new Float64Array(T);
  let gap = Infinity, converged = false, epochs = 0;
  const g = GtG.data;

  for (let it = 0; it < o.maxit; it++) {
    epochs = it + 1;
    let wMax = 0, dwMax = 0;
    for (let i = 0; i < a; i++) {
      const normCol = g[i + i * a];
      if (normCol === 0) continue;
      const off = i * T;
      // tmp = g_iᵀ(R + g_i w_i) = GtR_i + ‖g_i‖² w_i
      let nn = 0;
      for (let t = 0; t < T; t++) { w[t] = X[off + t]; const v = R[off + t] + normCol * w[t]; delta[t] = v; nn += v * v; }
      nn = Math.sqrt(nn);
      const scale = Math.max(1 - o.alpha / nn, 0) / normCol;
      let dw = 0, wAbs = 0, changed = false;
      for (let t = 0; t < T; t++) {
        const v = delta[t] * scale;
        X[off + t] = v;
        delta[t] = v - w[t];
        if (delta[t] !== 0) changed = true;
        dw = Math.max(dw, Math.abs(delta[t]));
        wAbs = Math.max(wAbs, Math.abs(v));
      }
      if (changed) {
        for (let r = 0; r < a; r++) {
          const gr = g[r + i * a];
          if (gr === 0) continue;
          const ro = r * T;
          for (let t = 0; t < T; t++) R[ro + t] -= gr * delta[t];
        }
      }
      if (dw > dwMax) dwMax = dw;
      if (wAbs > wMax) wMax = wAbs;
    }
    if (wMax === 0 || dwMax / wMax < dwTol || it === o.maxit - 1) {
      gap = sklearnGap(p, Xt, residualCorrelation(p, Xt), o.alpha);
      if (gap < tol) { converged = true; break; }
    }
  }
  const active = new Uint8Array(a);
  for (let i = 0; i < a; i++) for (let t = 0; t < T; t++) if (X[i * T + t] !== 0) { active[i] = 1; break; }
  return { Xt, active, E: [], gap, converged, epochs };
}

/** scikit-learn's multi-task duality gap (l2_reg = 0). */
function sklearnGap(p: GramProblem, Xt: Matrix, GtRt: Matrix, l1: number): number {
  const a = GtRt.cols, T = GtRt.rows;
  const xGtM = dot(Xt.data, p.GtMt.data);
  const rNorm2 = p.normM2 - xGtM - dot(Xt.data, GtRt.data);
  let dualNorm = 0, l21 = 0;
  for (let i = 0; i < a; i++) {
    let s = 0, w = 0;
    for (let t = 0; t < T; t++) { s += GtRt.data[i * T + t] ** 2; w += Xt.data[i * T + t] ** 2; }
    dualNorm = Math.max(dualNorm, Math.sqrt(s));
    l21 += Math.sqrt(w);
  }
  let c = 1, gap = rNorm2;
  if (dualNorm > l1) {
    c = l1 / dualNorm;
    gap = 0.5 * (rNorm2 + rNorm2 * c * c);
  }
  const rySum = p.normM2 - xGtM;
  return gap + l1 * l21 - c * rySum;
}
