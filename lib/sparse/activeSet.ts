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

// The helpers below are loops rather than callbacks written in place (sort comparators, filter,
// reduce), which pool workers recompiled on every row or two of a batch (lib/records/nameIndex.ts says why).

/**
 * Indices of the `count` largest values, ascending by (value, index): ties rank the later index
 * higher, as numpy's argsort. A selection over one pass, not a sort of all n.
 */
export function largest(v: Float64Array, count: number): number[] {
  const top: number[] = [];
  if (count <= 0) return top;
  for (let i = 0; i < v.length; i++) {
    // (v[i], i) outranks the smallest kept (v[top[0]], top[0]) unless its value is lower: i is later.
    if (top.length === count) {
      if (v[i] < v[top[0]]) continue;
      top.shift();
    }
    let p = top.length;
    while (p > 0 && v[top[p - 1]] > v[i]) p--;
    top.splice(p, 0, i);
  }
  return top;
}

/** The indices c with set[c] === 1, ascending. */
function members(set: Uint8Array): Int32Array {
  let n = 0;
  for (let c = 0; c < set.length; c++) n += set[c];
  const out = new Int32Array(n);
  for (let c = 0, k = 0; c < set.length; c++) if (set[c] === 1) out[k++] = c;
  return out;
}

function maxOf(v: Float64Array): number {
  let m = 0;
  for (let k = 0; k < v.length; k++) m = Math.max(m, v[k]);
  return m;
}

/** The non-zero blocks of Xt (T × a): their columns (indices into Xt), those columns of Xt and their block norms². */
function nonZeroCols(Xt: Matrix, nOrient: number): { keep: number[]; Xt: Matrix; norms2: Float64Array } {
  const norms = groupsNorm2(Xt, nOrient);
  const keep: number[] = [];
  for (let q = 0; q < Xt.cols; q++) if (norms[Math.floor(q / nOrient)] !== 0) keep.push(q);
  const norms2: number[] = [];
  for (const v of norms) if (v !== 0) norms2.push(v);
  return { keep, Xt: Xt.pickCols(keep), norms2: Float64Array.from(norms2) };
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
    const A = members(inSet);
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
    const scale = Math.min(alpha / Math.sqrt(maxOf(gn)), 1);
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
      const grown = members(inSet);
      XtInit = new Matrix(T, grown.length);
      let g = 0;
      for (let i = 0; i < cols.length; i++) {
        while (grown[g] !== cols[i]) g++;
        XtInit.data.set(XtA.data.subarray(i * T, (i + 1) * T), g * T);
      }
    }
  }
  return { Xt: XtA, active: cols, E, gap, converged, outer: k, epochs };
}
