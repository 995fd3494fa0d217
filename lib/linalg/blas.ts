/** Matrix-shaped BLAS products over the native core. Every function takes an optional `out`. */
import { addon, callAsync, callSync } from '../native.js';
import { Matrix } from './matrix.js';

export interface GemmOptions {
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
  /** Only with `out`: out = alpha·op(A)·op(B) + beta·out. @default 0 */
  beta?: number;
  out?: Matrix;
}

function gemmOut(A: Matrix, B: Matrix, o: GemmOptions): Matrix {
  const m = o.transA ? A.cols : A.rows;
  const n = o.transB ? B.rows : B.cols;
  // Not zeroed: β = 0 without `out`, so the product writes every value.
  return o.out ?? Matrix.uninitialized(m, n);
}

/** op(A)·op(B), op = transpose when the flag is set. */
export function gemm(A: Matrix, B: Matrix, o: GemmOptions = {}): Matrix {
  const C = gemmOut(A, B, o);
  callSync(() => addon.gemm(!!o.transA, !!o.transB, A.rows, A.cols, A.data, B.rows, B.cols, B.data,
    o.alpha ?? 1, o.beta ?? 0, C.data));
  return C;
}

/**
 * Below this many multiply-adds a product takes microseconds: the thread-pool round trip of an
 * async call would cost more than the work, so it runs inline.
 */
export const INLINE_FLOPS = 1 << 20;

/**
 * The same bound for a small native solve run inline (sparse/activeSet.ts, computeBias.ts, and a
 * solve's residuals, residual.ts), in
 * their flop models: at most ~1 ms of the event loop (irMxNE's 50-epoch rounds on 3
 * free-orientation blocks took 0.5–0.6 ms on the shared 2-core machine), where each thread-pool
 * round trip costs two thread wake-ups.
 */
export const INLINE_SOLVE_FLOPS = 4 * INLINE_FLOPS;

/**
 * Multiply-adds from which a product runs as two halves on two threads (~2 ms of one core, against
 * a thread hand-over of 0.1–0.25 ms): a lone request then uses both cores (the dSPM operator's
 * V = G̃ᵀU and its apply, a whole gain's whitening, the solver's GᵀM). In a pool worker, whose
 * native jobs run on its own thread, the halves run one after the other. The halves' values agree
 * with one call's to rounding: the kernel's edge columns may sum in another order.
 */
const SPLIT_MULTIPLY_ADDS = 1 << 25;

/** Whether a product of `multiplyAdds` is worth two threads (see SPLIT_MULTIPLY_ADDS). */
export function splitsInTwo(multiplyAdds: number): boolean {
  return multiplyAdds >= SPLIT_MULTIPLY_ADDS;
}

export async function gemmAsync(A: Matrix, B: Matrix, o: GemmOptions = {}): Promise<Matrix> {
  const C = gemmOut(A, B, o);
  const work = C.rows * C.cols * (o.transA ? A.rows : A.cols);
  if (work < INLINE_FLOPS) return gemm(A, B, { ...o, out: C });
  const call = (bCols: number, Bd: Float64Array, Cd: Float64Array) => callAsync(() => addon.gemmAsync(!!o.transA, !!o.transB, A.rows, A.cols, A.data,
    B.rows, bCols, Bd, o.alpha ?? 1, o.beta ?? 0, Cd));
  if (o.transB || C.cols < 2 || !splitsInTwo(work)) {
    await call(B.cols, B.data, C.data);
    return C;
  }
  // Column halves of C from column halves of B, both contiguous without transB.
  const mid = C.cols >> 1;
  await Promise.all([call(mid, B.data.subarray(0, mid * B.rows), C.data.subarray(0, mid * C.rows)),
    call(C.cols - mid, B.data.subarray(mid * B.rows), C.data.subarray(mid * C.rows))]);
  return C;
}

/** AᵀA (default) or AAᵀ (`outer: true`), symmetric with both triangles filled (dsyrk). */
export function gram(A: Matrix, o: { outer?: boolean; out?: Matrix } = {}): Matrix {
  const n = o.outer ? A.rows : A.cols;
  const out = o.out ?? new Matrix(n, n);
  callSync(() => addon.gram(!!o.outer, A.rows, A.cols, A.data, out.data));
  return out;
}

export async function gramAsync(A: Matrix, o: { outer?: boolean; out?: Matrix } = {}): Promise<Matrix> {
  const n = o.outer ? A.rows : A.cols;
  if (n * n * (o.outer ? A.cols : A.rows) < INLINE_FLOPS) return gram(A, o);
  // Not zeroed: SYRK writes one triangle, the core mirrors it.
  const out = o.out ?? Matrix.uninitialized(n, n);
  await callAsync(() => addon.gramAsync(!!o.outer, A.rows, A.cols, A.data, out.data));
  return out;
}
