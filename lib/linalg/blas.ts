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
  return o.out ?? new Matrix(m, n);
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

export async function gemmAsync(A: Matrix, B: Matrix, o: GemmOptions = {}): Promise<Matrix> {
  const C = gemmOut(A, B, o);
  if (C.rows * C.cols * (o.transA ? A.rows : A.cols) < INLINE_FLOPS) return gemm(A, B, { ...o, out: C });
  await callAsync(() => addon.gemmAsync(!!o.transA, !!o.transB, A.rows, A.cols, A.data, B.rows, B.cols, B.data,
    o.alpha ?? 1, o.beta ?? 0, C.data));
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
  const out = o.out ?? new Matrix(n, n);
  await callAsync(() => addon.gramAsync(!!o.outer, A.rows, A.cols, A.data, out.data));
  return out;
}
