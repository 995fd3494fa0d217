/**
 * MNE 1.3's `mixed_norm_solver`: the L21 problem min ½‖M − GX‖² + α Σ_j ‖X_j‖ with the
 * active-set strategy — start from the `activeSetSize` blocks most correlated with M, solve on
 * them (Gram-form BCD), check the duality gap on the full problem with one Gᵀ R product, add
 * the blocks most correlated with the residual, warm-start, repeat — then debias.
 * `activeSetSize: null` solves on all columns at once (irMxNE's small reweighted problems).
 *
 * The whole solve is one native job (binding/solvers.cc, around the kernels of kernels_l21.cc). The
 * inner solver is MNE's `_mixed_norm_solver_bcd` step for step in Gram form — on an active set of
 * a columns it needs only GᵀG and GᵀM, so a block update costs O(a·o·T) instead of O(m·o·T), and
 * the gap needs no residual (‖R‖² = ‖M‖² − ⟨X, GᵀM⟩ − ⟨X, GᵀR⟩, ⟨R, GX⟩ = ⟨X, GᵀR⟩) — including
 * two MNE quirks its numbers depend on: a block counts as non-zero when its first entry is
 * (Mathurin's trick), and the Anderson candidate (K = 5) is squared elementwise before it is
 * evaluated (MNE's groups_norm2 squares its argument in place). 'cd' is scikit-learn's multi-task
 * coordinate descent, MNE's fixed-orientation path. Debiasing is MNE's compute_bias.
 */
import { gemmAsync } from '../linalg/blas.js';
import { Matrix } from '../linalg/matrix.js';
import { addon, callAsync } from '../native.js';

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
}

export async function prepareL21(M: Matrix, G: Matrix): Promise<L21Data> {
  return { M, G, GtMt: await gemmAsync(M, G, { transA: true }) };
}

interface DriverOutput { X: Float64Array; active: Int32Array; E: Float64Array; history: Int32Array[]; gap: number; converged: boolean; epochs: number; outer: number }

/** One native solve: MxNE (nMxneIter 0) or irMxNE, with optional precomputed GᵀM and irMxNE start weights. */
export function l21Driver(M: Matrix, G: Matrix, alpha: number, nMxneIter: number, o: L21Options, weightInit: Float64Array | null, GtMt: Matrix | null): Promise<DriverOutput> {
  return callAsync(() => addon.l21DriverAsync(M.rows, G.cols, M.cols, M.data, G.data, alpha, nMxneIter, o.maxit, o.tol,
    o.activeSetSize ?? 0, o.debias, o.nOrient, o.solver === 'cd', o.dgapFreq, weightInit, GtMt?.data ?? null));
}

export async function mixedNormSolver(d: L21Data, alpha: number, o: L21Options): Promise<L21Result> {
  const r = await l21Driver(d.M, d.G, alpha, 0, o, null, d.GtMt);
  return {
    X: new Matrix(r.active.length, d.M.cols, r.X), activeSet: r.active, E: Array.from(r.E), gap: r.gap,
    converged: r.converged, epochs: r.epochs, outerIterations: r.outer,
  };
}
