/**
 * MNE 1.3's `compute_bias` (mxne_debiasing.py): per active row a factor D ≥ 1 such that
 * G·diag(D)·X fits M best, by FISTA with a step from a power iteration seeded with numpy's
 * RandomState(0) — the seed is drawn here, the iterations run natively (kernels_debias.cc).
 * Rows of one source (nOrient of them) share their factor. Debiasing is the solver's last step.
 */
import { InputError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import { INLINE_SOLVE_FLOPS } from '../linalg/blas.js';
import { addon, callSync, runCancellable } from '../native.js';
import { NumpyRandomState } from './numpyRandom.js';
import { checkMatrix } from './solverOptions.js';

export interface ComputeBiasOptions {
  /** @default 1000 */
  maxIter?: number;
  /** Stop when no factor moves by more than tol. @default 1e-6 */
  tol?: number;
  /** Rows per source: any positive divisor of X's rows. @default 1 */
  nOrient?: number;
  signal?: AbortSignal;
}

export interface ComputeBiasResult {
  /** One factor per row of X (≥ 1). */
  weights: Float64Array;
  /** Whether the factors settled within tol before maxIter. */
  converged: boolean;
  nIterations: number;
}

/** M: nSensors × T, G: nSensors × nActive (the active columns), X: nActive × T. */
export async function computeBias(M: Matrix, G: Matrix, X: Matrix, options: ComputeBiasOptions = {}): Promise<ComputeBiasResult> {
  checkMatrix('M', M);
  checkMatrix('G', G, M.rows);
  checkMatrix('X', X, G.cols);
  if (X.cols !== M.cols) throw new InputError('X.cols', `${M.cols} (the columns of M)`, String(X.cols));
  const maxIter = options.maxIter ?? 1000, tol = options.tol ?? 1e-6, nOrient = options.nOrient ?? 1;
  if (!Number.isInteger(maxIter) || maxIter < 0) throw new InputError('maxIter', 'a non-negative integer', String(maxIter));
  if (!Number.isFinite(tol) || tol < 0) throw new InputError('tol', 'a finite number >= 0', String(tol));
  if (!Number.isInteger(nOrient) || nOrient < 1 || X.rows % nOrient !== 0) throw new InputError('nOrient', `a positive divisor of X's ${X.rows} rows`, String(nOrient));
  return biasFactors(M, G, X, maxIter, tol, nOrient, options.signal);
}

/**
 * The first `count` draws of numpy's RandomState(0).randn (randn(k) is a prefix of randn(k') for
 * k < k'). Every debiasing starts from them, so up to 65,536 draws (active sets of up to 256 rows)
 * are kept between solves instead of seeding the generator and drawing again each time.
 */
function seed0Normals(count: number): Float64Array {
  if (count > SEED0_KEPT) return new NumpyRandomState(0).randn(count);
  if (count > seed0Kept.length) seed0Kept = new NumpyRandomState(0).randn(Math.min(SEED0_KEPT, Math.max(count, 1024)));
  return seed0Kept.subarray(0, count);
}

const SEED0_KEPT = 65536;
let seed0Kept: Float64Array = new Float64Array(0);

/** compute_bias without the checks (the solvers' own step). */
export async function biasFactors(M: Matrix, GA: Matrix, X: Matrix, maxIter: number, tol: number, nOrient: number, signal?: AbortSignal): Promise<ComputeBiasResult> {
  const n = X.rows;
  // MNE: B = RandomState(0).randn(n, n), drawn in row-major order.
  const B = Matrix.fromRowMajor(n, n, seed0Normals(n * n));
  const args = { m: M.rows, n, T: M.cols, M: M.data, GA: GA.data, X: X.data, B: B.data, maxIter, tol, nOrient };
  // Its whole work bounded (GᵀM, GᵀG, XXᵀ, 1000 power iterations of two n³ products, maxIter
  // FISTA steps of ~3n²) below INLINE_SOLVE_FLOPS, a small active set is debiased inline.
  const inline = M.rows * n * (M.cols + n) + n * n * M.cols + 2000 * n ** 3 + 3 * maxIter * n * n <= INLINE_SOLVE_FLOPS;
  if (inline) signal?.throwIfAborted();
  const r = inline
    ? callSync(() => addon.computeBias(args))
    : await runCancellable((cancel) => addon.computeBiasAsync({ ...args, cancel }), signal);
  return { weights: r.D, converged: r.converged, nIterations: r.iterations };
}
