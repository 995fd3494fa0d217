/**
 * MNE 1.3's `mixed_norm_solver` loop, the policy half of an MxNE solve: start from the
 * `activeSetSize` blocks most correlated with M; solve on them (one native call of BCD / CD epochs
 * in Gram form, binding/solvers.cc: inline when small, else a thread-pool job); check the duality gap on the full problem from one native
 * residual (residual.ts: R, GᵀR and their sums); stop below tol, else add the blocks most correlated with the residual, warm-start and
 * repeat. `activeSetSize: null` solves on all columns at once.
 */
import { INLINE_SOLVE_FLOPS } from '../linalg/blas.js';
import { Matrix } from '../linalg/matrix.js';
import { addon, callSync, runCancellable } from '../native.js';
import { groupsNorm2 } from './groupNorms.js';
import { l21Value } from './penalties/l21.js';
import { sparseResidual } from './residual.js';
import type { L21Options } from './solverOptions.js';

/**
 * M (m × T), ‖M‖², and its correlation with every column, GᵀM (transposed: T × n) with the squared
 * norm of each of its blocks of nOrient columns, shared by callers.
 */
export interface L21Data {
  M: Matrix;
  G: Matrix;
  GtMt: Matrix;
  GtMtNorms2: Float64Array;
  normM2: number;
}

export interface ActiveSetOutcome {
  /** T × nActive: the rows of the active columns (ascending), transposed. */
  Xt: Matrix;
  active: Int32Array;
  /** Primal objective per active-set iteration (per gap check without the strategy). */
  E: number[];
  gap: number;
  converged: boolean;
  /** Active-set iterations. */
  outer: number;
  epochs: number;
}

/**
 * One native inner solve on `cols`, warm-started from and written into Xt (T × cols.length).
 * A small solve runs inline first, its epochs capped by INLINE_SOLVE_FLOPS. Where it converged
 * before the cap, the pool would have stopped at the same epoch (maxit only bounds the loop), so
 * the result is the same; otherwise the warm start is restored and the whole solve runs in the pool.
 */
async function innerSolve(d: L21Data, cols: Int32Array, Xt: Matrix, alpha: number, o: L21Options, maxit: number) {
  const args = {
    m: d.M.rows, n: d.G.cols, T: d.M.cols, G: d.G.data, GtMt: d.GtMt.data, cols, Xt: Xt.data, normM2: d.normM2,
    alpha, maxit, tol: o.tol, nOrient: o.nOrient, cd: o.solver === 'cd', dgapFreq: o.dgapFreq,
  };
  // Forming the Gram costs m·a², an epoch about 2·a²·T (block updates, gap checks, Anderson steps).
  const a = cols.length, cap = Math.min(maxit, Math.floor((INLINE_SOLVE_FLOPS - d.M.rows * a * a) / Math.max(1, 2 * a * a * d.M.cols)));
  // Worth trying only with room for a few gap checks: a solve stopped by the cap is run again in the pool.
  if (cap >= Math.min(maxit, 5 * o.dgapFreq)) {
    o.signal?.throwIfAborted();
    const start = Xt.data.slice();
    const r = callSync(() => addon.l21InnerSolve({ ...args, maxit: cap }));
    // Converged before the cap (coordinate descent also checks its gap at the last allowed epoch).
    if ((r.converged && r.epochs < cap) || cap === maxit) return r;
    Xt.data.set(start);
  }
  return runCancellable((cancel) => addon.l21InnerSolveAsync({ ...args, cancel }), o.signal);
}

/** Indices of the `count` largest values; ties rank the later index higher (as numpy's argsort). */
function largest(v: Float64Array, count: number): number[] {
  const order = Array.from(v.keys()).sort((x, y) => (v[x] !== v[y] ? v[x] - v[y] : x - y));
  return order.slice(Math.max(0, order.length - count));
}

/** The non-zero blocks of Xt (T × a): their columns (indices into Xt), those columns of Xt and their block norms². */
function nonZeroCols(Xt: Matrix, nOrient: number): { keep: number[]; Xt: Matrix; norms2: Float64Array } {
  const norms = groupsNorm2(Xt, nOrient);
  const keep: number[] = [];
  for (let q = 0; q < Xt.cols; q++) if (norms[Math.floor(q / nOrient)] !== 0) keep.push(q);
  return { keep, Xt: Xt.pickCols(keep), norms2: norms.filter((v) => v !== 0) };
}

export async function activeSetSolve(d: L21Data, alpha: number, o: L21Options): Promise<ActiveSetOutcome> {
  const { M, G, GtMt } = d, n = G.cols, T = M.cols, no = o.nOrient;
  if (o.activeSetSize === null) {
    const Xt = new Matrix(T, n);
    const r = await innerSolve(d, Int32Array.from({ length: n }, (_, c) => c), Xt, alpha, o, o.maxit);
    const nz = nonZeroCols(Xt, no);
    o.onProgress?.({ outer: 1, epochs: r.epochs, gap: r.gap });
    return { Xt: nz.Xt, active: Int32Array.from(nz.keep), E: Array.from(r.E), gap: r.gap, converged: r.converged, outer: 1, epochs: r.epochs };
  }
  // 1) the starting blocks: those most correlated with M.
  const inSet = new Uint8Array(n);
  const addBlocks = (blocks: number[]) => { for (const b of blocks) inSet.fill(1, b * no, (b + 1) * no); };
  addBlocks(largest(d.GtMtNorms2, o.activeSetSize));
  let XtInit: Matrix | null = null;
  let highestDual = -Infinity, gap = Infinity, converged = false, epochs = 0, k = 0;
  let cols = new Int32Array(0), XtA = new Matrix(T, 0);
  const E: number[] = [];
  // Every gap check only sums R and GᵀR (residual.ts); their block norms go to one buffer.
  const corr = { GtRt: null, norms2: new Float64Array(n / no), GtMt, nOrient: no };
  // maxit bounds the work, not only each loop: the inner solves share one budget of maxit epochs
  // (MNE runs up to maxit inner epochs per outer iteration, maxit² in all, which at alpha ≈ 0 on a
  // large source space does not end in any useful time). Converging solves never reach it.
  for (; k < o.maxit && epochs < o.maxit; k++) {
    // 2) solve on the active set, warm-started.
    const A = Int32Array.from(inSet.keys()).filter((c) => inSet[c] === 1);
    const Xt = XtInit ?? new Matrix(T, A.length);
    const r = await innerSolve(d, A, Xt, alpha, o, o.maxit - epochs);
    epochs += r.epochs;
    const nz = nonZeroCols(Xt, no);
    for (const c of A) inSet[c] = 0;
    cols = Int32Array.from(nz.keep, (q) => A[q]);
    for (const c of cols) inSet[c] = 1;
    XtA = nz.Xt;
    // 3) the duality gap of the full problem, at the dual point made feasible by scaling the residual.
    const { normR2: nR2, xGtR } = await sparseResidual(M, G, cols, XtA, null, corr, o.signal);
    const primal = 0.5 * nR2 + alpha * l21Value(XtA, no, nz.norms2);
    const gn = corr.norms2;
    // The dual norm max_j ‖(GᵀR)_j‖ (penalties/l21.ts l21DualNorm) from the block norms the growth step reuses.
    const scale = Math.min(alpha / Math.sqrt(gn.reduce((a, v) => Math.max(a, v), 0)), 1);
    const dual = (scale - 0.5 * scale * scale) * nR2 + scale * xGtR;
    highestDual = Math.max(highestDual, dual);
    gap = primal - highestDual;
    E.push(primal);
    o.onProgress?.({ outer: k + 1, epochs, gap });
    if (gap < o.tol) {
      converged = true;
      k++;
      break;
    }
    // 4) grow by the blocks most correlated with the residual; warm start on the grown set.
    if (k < o.maxit - 1) {
      addBlocks(largest(gn, o.activeSetSize));
      const grown = Int32Array.from(inSet.keys()).filter((c) => inSet[c] === 1);
      XtInit = new Matrix(T, grown.length);
      let g = 0;
      cols.forEach((c, i) => {
        while (grown[g] !== c) g++;
        XtInit!.data.set(XtA.data.subarray(i * T, (i + 1) * T), g * T);
      });
    }
  }
  return { Xt: XtA, active: cols, E, gap, converged, outer: k, epochs };
}
