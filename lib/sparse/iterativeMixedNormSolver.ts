/**
 * MNE 1.3's `iterative_mixed_norm_solver` (irMxNE, L0.5/L2 by reweighted L21): each round
 * solves MxNE (activeSet.ts) on the currently active columns scaled by weights 2·√‖X_j‖ from the
 * previous round (penalties/l05.ts), until the active set and X stop changing (|ΔX| < tol) or
 * `nMxneIter` rounds; then debias (computeBias.ts).
 */
import { InputError } from '../errors.js';
import { scaleColumns } from '../linalg/columns.js';
import { Matrix } from '../linalg/matrix.js';
import { activeSetSolve } from './activeSet.js';
import { groupsNorm2 } from './groupNorms.js';
import { convergenceWarning, debiasRows, debiasWarning, prepareL21, type MixedNormSolverResult } from './mixedNormSolver.js';
import { l05Reweight, l05Value } from './penalties/l05.js';
import { sparseResidual } from './residual.js';
import { checkingM, normalizeSolverOptions, type IterativeMixedNormSolverOptions, type L21Options } from './solverOptions.js';

export interface IrMxneResult extends Omit<MixedNormSolverResult, 'E' | 'nIterations'> {
  /** Objective after each reweighting, ½‖M − GX‖² + α Σ √‖X_j‖. */
  E: number[];
  /** Active columns of G after each reweighting. */
  activeSetHistory: Int32Array[];
  /** Reweightings run (gap and converged are those of the last MxNE round). */
  nIterations: number;
}

/** irMxNE with settings already resolved (mixedNorm, SURE). */
export async function solveIrMxne(M: Matrix, G: Matrix, alpha: number, nMxneIter: number, o: L21Options, weightInit: Float64Array | null = null): Promise<IrMxneResult> {
  if (weightInit !== null && weightInit.length !== G.cols) throw new InputError('weightInit', `${G.cols} weights (one per column)`, `${weightInit.length}`);
  if (!Number.isInteger(nMxneIter) || nMxneIter < 1) throw new InputError('nMxneIter', 'a positive integer', String(nMxneIter));
  const T = M.cols;
  let active = weightedSupport(G.cols, weightInit);
  let weights: Float64Array = weightInit === null ? new Float64Array(active.length).fill(1) : Float64Array.from(active, (c) => weightInit[c]);
  // X transposed (T × active columns) through the rounds: the native solves, the norms and the
  // residual read it that way; transposed once, for debiasing and the result.
  let Xt = new Matrix(T, G.cols);
  const E: number[] = [], history: Int32Array[] = [];
  let gap = Infinity, converged = false, epochs = 0, normM2: number | undefined;
  for (let k = 0; k < nMxneIter; k++) {
    const Xt0 = Xt, active0 = active;
    // MxNE on the weighted active columns; the active-set strategy only when they outnumber it.
    const Gk = await weightedColumns(G, active, weights);
    const useActiveSet = o.activeSetSize !== null && active.length > o.activeSetSize * o.nOrient;
    const d = await prepareL21(M, Gk, o.nOrient, o.signal, normM2);
    normM2 = d.normM2;
    const sub = await activeSetSolve(d, alpha, { ...o, activeSetSize: useActiveSet ? o.activeSetSize : null, onProgress: undefined });
    gap = sub.gap;
    converged = sub.converged;
    epochs += sub.epochs;
    if (sub.active.length === 0) {
      active = new Int32Array(0);
      Xt = new Matrix(T, 0);
      E.push(0.5 * d.normM2);
      history.push(active);
      break;
    }
    // Back to the unweighted columns' units: source row i (column i of Xt) times its weight.
    Xt = await scaleColumns(sub.Xt, Float64Array.from(sub.active, (i) => weights[i]));
    active = sub.active.map((i) => active[i]);
    // The L0.5 penalty's next weights, and the objective it defines (one pass for the block norms).
    const norms2 = groupsNorm2(Xt, o.nOrient);
    weights = l05Reweight(Xt, o.nOrient, norms2);
    const { normR2 } = await sparseResidual(M, G, active, Xt, null, null, o.signal);
    E.push(0.5 * normR2 + alpha * l05Value(Xt, o.nOrient, norms2));
    history.push(active);
    o.onProgress?.({ outer: k + 1, epochs, gap });
    if (k >= 1 && sameColumns(active, active0) && Xt.cols === Xt0.cols && maxAbsDiff(Xt.data, Xt0.data) < o.tol) break;
  }
  const X = Xt.transpose();
  const debias = await debiasRows(M, G, active, X, o);
  const outer = history.length;
  return {
    X, activeSet: active, E, activeSetHistory: history, gap, converged, nIterations: outer, epochs, debias,
    warnings: [...(converged ? [] : [convergenceWarning('irmxne', gap, o.tol, outer)]), ...debiasWarning(debias)],
  };
}

/** G's `active` columns scaled by `weights`; G itself when that is every column with weight 1 (the first round without weightInit). */
async function weightedColumns(G: Matrix, active: Int32Array, weights: Float64Array): Promise<Matrix> {
  if (active.length === G.cols && allOnes(weights)) return G;
  return scaleColumns(G.pickCols(active), weights);
}

// Loops rather than callbacks written in place (filter, every), which pool workers recompiled on
// every row or two of a batch (lib/records/nameIndex.ts says why).

/** The columns 0…n−1 with a non-zero initial weight (all without one). */
function weightedSupport(n: number, weightInit: Float64Array | null): Int32Array {
  const out: number[] = [];
  for (let c = 0; c < n; c++) if (weightInit === null || weightInit[c] !== 0) out.push(c);
  return Int32Array.from(out);
}

function allOnes(w: Float64Array): boolean {
  for (let k = 0; k < w.length; k++) if (w[k] !== 1) return false;
  return true;
}

function sameColumns(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k] - b[k]));
  return d;
}

/**
 * MNE's `iterative_mixed_norm_solver(M, G, alpha, n_mxne_iter, ...)` on plain matrices (shapes as
 * mixedNormSolver). Non-convergence and a solver fallback are reported in `warnings`.
 */
export async function iterativeMixedNormSolver(M: Matrix, G: Matrix, alpha: number, nMxneIter: number, options: IterativeMixedNormSolverOptions = {}): Promise<IrMxneResult> {
  const { settings, warnings } = normalizeSolverOptions(M, G, alpha, options);
  const w = options.weightInit ?? null;
  if (w !== null && (!(w instanceof Float64Array) || w.some((v) => !(v >= 0) || !Number.isFinite(v)))) {
    throw new InputError('weightInit', 'a Float64Array of finite weights >= 0', String(w));
  }
  const r = await checkingM(M, () => solveIrMxne(M, G, alpha, nMxneIter, settings, w));
  return { ...r, warnings: [...warnings, ...r.warnings] };
}
