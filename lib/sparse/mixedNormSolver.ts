/**
 * MNE 1.3's `mixed_norm_solver`: the L21 problem min ½‖M − GX‖² + α Σ_j ‖X_j‖ with the
 * active-set strategy — start from the `activeSetSize` blocks most correlated with M, solve on
 * them (Gram-form BCD), check the duality gap on the full problem with one Gᵀ R product, add
 * the blocks most correlated with the residual, warm-start, repeat — then debias.
 * `activeSetSize: null` solves on all columns at once (irMxNE's small reweighted problems).
 */
import { gemmAsync, gram } from '../linalg/blas.js';
import { Matrix } from '../linalg/matrix.js';
import { activeSetSolve, type ActiveSetSolution, type GramProblem } from './activeSetSolve.js';
import { computeBias } from './computeBias.js';
import { dot, groupsNorm2, largestIndices } from './groupNorms.js';
import { blockLipschitz } from './lipschitz.js';

export interface L21Options {
  maxit: number;
  tol: number;
  activeSetSize: number | null;
  debias: boolean;
  nOrient: number;
  /** 'cd': scikit-learn's coordinate descent, MNE's choice for fixed orientation (nOrient 1 only). */
  solver: 'bcd' | 'cd';
  dgapFreq: number;
}

export interface L21Result {
  /** nActive × T (rows of the active columns, ascending). */
  X: Matrix;
  /** Active columns of G, ascending. */
  activeSet: Int32Array;
  E: number[];
  gap: number;
  converged: boolean;
  /** BCD epochs summed over the active-set iterations. */
  epochs: number;
  outerIterations: number;
}

/** M (m × T) and its correlation with every column, GᵀM (transposed: T × n), shared by callers. */
export interface L21Data {
  M: Matrix;
  G: Matrix;
  GtMt: Matrix;
  normM2: number;
}

export async function prepareL21(M: Matrix, G: Matrix): Promise<L21Data> {
  const GtMt = await gemmAsync(M, G, { transA: true });
  return { M, G, GtMt, normM2: dot(M.data, M.data) };
}

export async function mixedNormSolver(d: L21Data, alpha: number, o: L21Options): Promise<L21Result> {
  const { G, M } = d;
  const n = G.cols, T = M.cols, no = o.nOrient;
  let result: L21Result;

  if (o.activeSetSize === null) {
    const problem: GramProblem = { GtG: gram(G), GtMt: d.GtMt, normM2: d.normM2, nOrient: no };
    const r = await solveGram(problem, alpha, blockLipschitz(problem.GtG, no), o, null);
    const cols = activeColumns(r.active);
    const X = rowsOf(r.Xt, cols);
    result = { X, activeSet: Int32Array.from(cols), E: r.E, gap: r.gap, converged: r.converged, epochs: r.epochs, outerIterations: 0 };
  } else {
    const activeMask = new Uint8Array(n);
    for (const b of largestIndices(groupsNorm2(d.GtMt, no), o.activeSetSize)) for (let c = 0; c < no; c++) activeMask[b * no + c] = 1;
    let XtInit: Matrix | null = null;
    let highestDual = -Infinity;
    let gap = Infinity;
    let converged = false;
    let epochs = 0;
    const E: number[] = [];
    let cols: number[] = [];
    let Xrows = new Matrix(0, T);
    let k = 0;
    for (; k < o.maxit; k++) {
      const A = activeColumns(activeMask);
      const GA = G.pickCols(A);
      const problem: GramProblem = { GtG: gram(GA), GtMt: d.GtMt.pickCols(A), normM2: d.normM2, nOrient: no };
      const r = await solveGram(problem, alpha, blockLipschitz(problem.GtG, no), o, XtInit);
      epochs += r.epochs;
      A.forEach((col, q) => { activeMask[col] = r.active[q]; });
      cols = activeColumns(activeMask);
      const keep = A.flatMap((col, q) => (r.active[q] ? [q] : []));
      Xrows = rowsOf(r.Xt, keep);
      // Full-problem gap: one G_A X and one Gᵀ R product.
      const R = M.clone();
      if (cols.length > 0) await gemmAsync(G.pickCols(cols), Xrows, { alpha: -1, beta: 1, out: R });
      const GtRt = await gemmAsync(R, G, { transA: true });
      const nR2 = dot(R.data, R.data);
      const Xt = Xrows.transpose();
      const l21 = groupsNorm2(Xt, no).reduce((s, v) => s + Math.sqrt(v), 0);
      const pObj = 0.5 * nR2 + alpha * l21;
      let dn = 0;
      for (const v of groupsNorm2(GtRt, no)) if (v > dn) dn = v;
      const s = Math.min(alpha / Math.sqrt(dn), 1);
      const GtRactive = GtRt.pickCols(cols);
      const dObj = (s - 0.5 * s * s) * nR2 + s * dot(Xt.data, GtRactive.data);
      highestDual = Math.max(highestDual, dObj);
      gap = pObj - highestDual;
      E.push(pObj);
      if (gap < o.tol) { converged = true; k++; break; }
      if (k < o.maxit - 1) {
        for (const b of largestIndices(groupsNorm2(GtRt, no), o.activeSetSize)) for (let c = 0; c < no; c++) activeMask[b * no + c] = 1;
        const grown = activeColumns(activeMask);
        XtInit = new Matrix(T, grown.length);
        const pos = new Map(grown.map((col, q) => [col, q] as const));
        cols.forEach((col, q) => XtInit!.data.set(Xt.col(q), pos.get(col)! * T));
      }
    }
    result = { X: Xrows, activeSet: Int32Array.from(cols), E, gap, converged, epochs, outerIterations: k };
  }

  if (result.activeSet.length > 0 && o.debias) {
    const bias = await computeBias(M, G.pickCols(result.activeSet), result.X, no);
    for (let i = 0; i < result.X.rows; i++) for (let t = 0; t < T; t++) result.X.data[i + t * result.X.rows] *= bias[i];
  }
  return result;
}

function solveGram(p: GramProblem, alpha: number, lc: Float64Array, o: L21Options, init: Matrix | null): Promise<ActiveSetSolution> {
  return activeSetSolve(p, { solver: o.solver, alpha, lipschitz: lc, maxit: o.maxit, tol: o.tol, dgapFreq: o.dgapFreq, init });
}

function activeColumns(mask: Uint8Array): number[] {
  const out: number[] = [];
  for (let k = 0; k < mask.length; k++) if (mask[k]) out.push(k);
  return out;
}

/** Rows `idx` of X from its transposed storage Xt (T × a): an idx.length × T Matrix. */
function rowsOf(Xt: Matrix, idx: number[]): Matrix {
  const T = Xt.rows;
  const X = new Matrix(idx.length, T);
  idx.forEach((q, i) => { const c = Xt.col(q); for (let t = 0; t < T; t++) X.data[i + t * idx.length] = c[t]; });
  return X;
}
