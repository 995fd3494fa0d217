/**
 * MNE 1.3's `iterative_mixed_norm_solver` (irMxNE, L0.5/L2 by reweighted L21): each round
 * solves MxNE on the currently active columns scaled by weights 2·√‖X_j‖ from the previous
 * round, until the active set and X stop changing (|ΔX| < tol) or `nMxneIter` rounds; then debias.
 */
import { InputError } from '../errors.js';
import { gemm } from '../linalg/blas.js';
import { Matrix } from '../linalg/matrix.js';
import { computeBias } from './computeBias.js';
import { dot, groupsNorm2 } from './groupNorms.js';
import { mixedNormSolver, prepareL21, type L21Options } from './mixedNormSolver.js';

export interface IrMxneResult {
  X: Matrix;
  activeSet: Int32Array;
  /** Objective after each reweighting, ½‖M − GX‖² + α Σ √‖X_j‖. */
  E: number[];
  /** Active columns of G after each reweighting. */
  activeSetHistory: Int32Array[];
  /** Duality gap and convergence of the last MxNE round. */
  gap: number;
  converged: boolean;
  reweightings: number;
  epochs: number;
}

/** `weightInit`: initial column weights (MNE's weight_init; columns with weight 0 are dropped), default ones. */
export async function iterativeMixedNormSolver(M: Matrix, G: Matrix, alpha: number, nMxneIter: number, o: L21Options, weightInit: Float64Array | null = null): Promise<IrMxneResult> {
  const no = o.nOrient, T = M.cols;
  if (weightInit !== null && weightInit.length !== G.cols) throw new InputError('weightInit', `${G.cols} weights (one per column)`, `${weightInit.length}`);
  let active = Array.from({ length: G.cols }, (_, k) => k).filter((k) => weightInit === null || weightInit[k] !== 0);
  let weights = weightInit === null ? new Float64Array(G.cols).fill(1) : Float64Array.from(active, (k) => weightInit[k]);
  let X = new Matrix(G.cols, T);
  const E: number[] = [];
  const history: Int32Array[] = [];
  let gap = Infinity, converged = false, epochs = 0, rounds = 0;

  for (let k = 0; k < nMxneIter; k++) {
    rounds = k + 1;
    const X0 = X;
    const active0 = active;
    const Gk = G.pickCols(active);
    for (let j = 0; j < Gk.cols; j++) { const c = Gk.col(j); const w = weights[j]; for (let i = 0; i < c.length; i++) c[i] *= w; }
    const useActiveSet = o.activeSetSize !== null && active.length > o.activeSetSize * no;
    const r = await mixedNormSolver(await prepareL21(M, Gk), alpha, { ...o, debias: false, activeSetSize: useActiveSet ? o.activeSetSize : null });
    gap = r.gap; converged = r.converged; epochs += r.epochs;
    if (r.activeSet.length === 0) {
      active = [];
      X = new Matrix(0, T);
      E.push(0.5 * sumSquares(M));
      history.push(new Int32Array(0));
      break;
    }
    const sel = Array.from(r.activeSet);
    const newActive = sel.map((q) => active[q]);
    X = r.X;
    for (let i = 0; i < X.rows; i++) { const w = weights[sel[i]]; for (let t = 0; t < T; t++) X.data[i + t * X.rows] *= w; }
    active = newActive;
    const gNorm = groupsNorm2(X.transpose(), no).map((v) => Math.sqrt(Math.sqrt(v)));
    weights = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) weights[i] = 2 * gNorm[Math.floor(i / no)];
    E.push(objective(M, G.pickCols(active), X, alpha, gNorm));
    history.push(Int32Array.from(active));
    if (k >= 1 && sameSet(active, active0) && maxAbsDiff(X, X0) < o.tol) break;
  }

  if (active.length > 0 && o.debias) {
    const bias = await computeBias(M, G.pickCols(active), X, no);
    for (let i = 0; i < X.rows; i++) for (let t = 0; t < T; t++) X.data[i + t * X.rows] *= bias[i];
  }
  return { X, activeSet: Int32Array.from(active), E, activeSetHistory: history, gap, converged, reweightings: rounds, epochs };
}

function objective(M: Matrix, GA: Matrix, X: Matrix, alpha: number, gNorm: Float64Array): number {
  const R = gemm(GA, X, { alpha: -1, beta: 1, out: M.clone() });
  let pen = 0;
  for (const v of gNorm) pen += v;
  return 0.5 * sumSquares(R) + alpha * pen;
}

function sumSquares(A: Matrix): number {
  return dot(A.data, A.data);
}

function sameSet(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, k) => v === b[k]);
}

function maxAbsDiff(a: Matrix, b: Matrix): number {
  if (a.rows !== b.rows || a.cols !== b.cols) return Infinity;
  let m = 0;
  for (let k = 0; k < a.data.length; k++) m = Math.max(m, Math.abs(a.data[k] - b.data[k]));
  return m;
}
