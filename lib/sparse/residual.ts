/**
 * The residual of a sparse solution and its correlation with the whole gain, the pieces of MNE's
 * `dgap_l21` (the duality gap of the full problem, activeSet.ts) and of irMxNE's objective: one
 * native call (binding/solvers.cc SparseResidual) instead of a gather, two products and passes over
 * R and GᵀR on the main thread. A step of a solve, it runs inline under the inline solves' work
 * bound (the seed problem's first gap check: 1.9M multiply-adds, ~0.4 ms, where a round trip to the
 * pool after the process idled costs 0.1–0.25 ms and the pool thread's wake-up); otherwise one
 * thread-pool job.
 */
import { INLINE_SOLVE_FLOPS } from '../linalg/blas.js';
import type { Matrix } from '../linalg/matrix.js';
import { addon, callSync, runCancellable, type SparseResidualOutput } from '../native.js';

/**
 * Where the correlation goes: the squared norm of each block of GᵀR, and GᵀR itself (transposed,
 * T × n) when GtRt is given (else it is only summed, a chunk at a time); with GᵀM (T × n) the kernel
 * may form GᵀR from the columns' Gram instead of from R.
 */
export interface Correlation { GtRt: Matrix | null; norms2: Float64Array; GtMt: Matrix | null; nOrient: number }

/**
 * ‖R‖² for R = M − G[:, cols]·X, and R itself written into R unless it is null; with `corr`, also
 * GᵀR's block norms and ⟨X, (GᵀR)[:, cols]⟩. Xt: X transposed (T × cols.length). With no columns
 * R = M: GᵀM, its block norms and ‖M‖² in one call. `sumR2` false: ‖R‖² is known to the caller
 * (‖M‖² again) and not summed; normR2 is then NaN.
 */
export async function sparseResidual(M: Matrix, G: Matrix, cols: Int32Array, Xt: Matrix, R: Matrix | null, corr: Correlation | null = null,
  signal?: AbortSignal, sumR2 = true): Promise<SparseResidualOutput> {
  const m = M.rows, T = M.cols, n = G.cols, a = cols.length;
  const args = {
    m, n, T, nOrient: corr?.nOrient ?? 1, M: M.data, G: G.data, cols, Xt: Xt.data, R: R?.data,
    GtMt: corr?.GtMt?.data, GtRt: corr?.GtRt?.data, norms2: corr?.norms2, sumR2,
  };
  const flops = m * a * T + (corr === null ? 0 : n * (corr.GtMt === null ? m * T : Math.min(m * T, a * (m + T))));
  if (flops < INLINE_SOLVE_FLOPS) {
    signal?.throwIfAborted();
    return callSync(() => addon.sparseResidual(args));
  }
  return runCancellable((cancel) => addon.sparseResidualAsync({ ...args, cancel }), signal);
}
