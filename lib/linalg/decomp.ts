/**
 * Matrix-shaped LAPACK decompositions and solves over the native core (binding/decomp.cc).
 * Inputs are never modified (the kernels work on copies). Inputs of eigh, svd, cholesky, solveSpd
 * and lstsq must be finite: NaN/Inf gives a RangeError naming the argument, before LAPACK runs.
 * LAPACK failures (not positive definite, no convergence) throw NativeError with `op` and `info`.
 * Async forms run on the libuv pool; do not mutate their input buffers until the promise settles.
 */
import { addon, callAsync, callSync } from '../native.js';
import { Matrix } from './matrix.js';

export interface EighResult {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** n×n, column j = unit eigenvector of values[j]. */
  vectors: Matrix;
}

export interface SvdResult {
  /** m×k, k = min(m, n), orthonormal columns. */
  U: Matrix;
  /** k singular values, descending. */
  s: Float64Array;
  /** k×n, orthonormal rows. */
  Vt: Matrix;
}

export interface GemvOptions {
  /** y = alpha·Aᵀx + beta·y instead of alpha·Ax + beta·y. */
  trans?: boolean;
  alpha?: number;
  /** Only with `out`: out = alpha·op(A)·x + beta·out. @default 0 */
  beta?: number;
  out?: Float64Array;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

/** A Matrix-shaped value (rows, cols, data); the native layer checks that data is a Float64Array of rows·cols. */
function checkMatrix(M: unknown, name: string): asserts M is Matrix {
  const m = M as Matrix | null | undefined;
  if (typeof m !== 'object' || m === null || typeof m.rows !== 'number' || typeof m.cols !== 'number' ||
    !(m.data instanceof Float64Array)) {
    throw new TypeError(`Expected Matrix for ${name} but received ${describe(M)}`);
  }
}

function checkSquare(M: unknown, name: string): asserts M is Matrix {
  checkMatrix(M, name);
  if (M.rows !== M.cols) throw new RangeError(`Expected square Matrix for ${name} but received ${M.rows}x${M.cols}`);
}

function checkRows(B: Matrix, name: string, rows: number, what: string): void {
  if (B.rows !== rows) throw new RangeError(`Expected ${rows} rows in ${name} (${what}) but received ${B.rows}x${B.cols}`);
}

function checkOut(out: Matrix | undefined, rows: number, cols: number): Matrix {
  if (out === undefined) return new Matrix(rows, cols);
  checkMatrix(out, 'out');
  if (out.rows !== rows || out.cols !== cols) {
    throw new RangeError(`Expected ${rows}x${cols} Matrix for out but received ${out.rows}x${out.cols}`);
  }
  return out;
}

function eighOut(A: unknown): { A: Matrix; values: Float64Array; vectors: Matrix } {
  checkSquare(A, 'A');
  return { A, values: new Float64Array(A.rows), vectors: new Matrix(A.rows, A.rows) };
}

/** Symmetric eigendecomposition (LAPACK dsyevd) of the lower triangle of A: A = V diag(values) Vᵀ. */
export function eigh(A: Matrix): EighResult {
  const r = eighOut(A);
  callSync(() => addon.eigh(r.A.rows, r.A.data, r.values, r.vectors.data));
  return { values: r.values, vectors: r.vectors };
}

export async function eighAsync(A: Matrix): Promise<EighResult> {
  const r = eighOut(A);
  await callAsync(() => addon.eighAsync(r.A.rows, r.A.data, r.values, r.vectors.data));
  return { values: r.values, vectors: r.vectors };
}

function svdOut(A: unknown): { A: Matrix } & SvdResult {
  checkMatrix(A, 'A');
  const k = Math.min(A.rows, A.cols);
  return { A, U: new Matrix(A.rows, k), s: new Float64Array(k), Vt: new Matrix(k, A.cols) };
}

/** Thin SVD (LAPACK dgesdd, jobz 'S'): A = U diag(s) Vt, k = min(m, n). */
export function svd(A: Matrix): SvdResult {
  const r = svdOut(A);
  callSync(() => addon.svd(r.A.rows, r.A.cols, r.A.data, r.U.data, r.s, r.Vt.data));
  return { U: r.U, s: r.s, Vt: r.Vt };
}

export async function svdAsync(A: Matrix): Promise<SvdResult> {
  const r = svdOut(A);
  await callAsync(() => addon.svdAsync(r.A.rows, r.A.cols, r.A.data, r.U.data, r.s, r.Vt.data));
  return { U: r.U, s: r.s, Vt: r.Vt };
}

/** Singular values only (LAPACK dgesdd, jobz 'N'), descending. */
export async function svdValuesAsync(A: Matrix): Promise<Float64Array> {
  checkMatrix(A, 'A');
  const s = new Float64Array(Math.min(A.rows, A.cols));
  await callAsync(() => addon.svdValuesAsync(A.rows, A.cols, A.data, s));
  return s;
}

/**
 * Lower Cholesky factor L (LAPACK dpotrf, lower triangle of A read), A = L Lᵀ, strict upper part zero.
 * Throws NativeError (op 'cholesky', info = the failing pivot, 1-based) when A is not positive definite.
 */
export function cholesky(A: Matrix, o: { out?: Matrix } = {}): Matrix {
  checkSquare(A, 'A');
  const L = checkOut(o.out, A.rows, A.rows);
  callSync(() => addon.cholesky(A.rows, A.data, L.data));
  return L;
}

function solveSpdOut(A: unknown, B: unknown, out: Matrix | undefined): { A: Matrix; B: Matrix; X: Matrix } {
  checkSquare(A, 'A');
  checkMatrix(B, 'B');
  checkRows(B, 'B', A.rows, 'the order of A');
  return { A, B, X: checkOut(out, B.rows, B.cols) };
}

/** X = A⁻¹B for symmetric positive definite A (LAPACK dposv, lower triangle of A read). NativeError when not SPD. */
export function solveSpd(A: Matrix, B: Matrix, o: { out?: Matrix } = {}): Matrix {
  const r = solveSpdOut(A, B, o.out);
  callSync(() => addon.solveSpd(r.A.rows, r.B.cols, r.A.data, r.B.data, r.X.data));
  return r.X;
}

export async function solveSpdAsync(A: Matrix, B: Matrix, o: { out?: Matrix } = {}): Promise<Matrix> {
  const r = solveSpdOut(A, B, o.out);
  await callAsync(() => addon.solveSpdAsync(r.A.rows, r.B.cols, r.A.data, r.B.data, r.X.data));
  return r.X;
}

export interface LstsqOptions {
  /** Singular values ≤ rcond·s_max count as zero. @default eps·max(m, n) (numpy's default) */
  rcond?: number;
  out?: Matrix;
}

function lstsqOut(A: unknown, B: unknown, o: LstsqOptions): { A: Matrix; B: Matrix; X: Matrix; rcond: number } {
  checkMatrix(A, 'A');
  checkMatrix(B, 'B');
  checkRows(B, 'B', A.rows, 'the rows of A');
  const rcond = o.rcond ?? Number.EPSILON * Math.max(A.rows, A.cols);
  return { A, B, X: checkOut(o.out, A.cols, B.cols), rcond };
}

/**
 * Minimum-norm least-squares solution X (n×nrhs) of A X ≈ B (LAPACK dgelsd, SVD-based): works for
 * tall, wide and rank-deficient A (m×n); B is m×nrhs.
 */
export function lstsq(A: Matrix, B: Matrix, o: LstsqOptions = {}): Matrix {
  const r = lstsqOut(A, B, o);
  callSync(() => addon.lstsq(r.A.rows, r.A.cols, r.B.cols, r.A.data, r.B.data, r.rcond, r.X.data));
  return r.X;
}

export async function lstsqAsync(A: Matrix, B: Matrix, o: LstsqOptions = {}): Promise<Matrix> {
  const r = lstsqOut(A, B, o);
  await callAsync(() => addon.lstsqAsync(r.A.rows, r.A.cols, r.B.cols, r.A.data, r.B.data, r.rcond, r.X.data));
  return r.X;
}

/** y = alpha·op(A)·x (+ beta·out), op(A) = Aᵀ with `trans` (cblas_dgemv). */
export function gemv(A: Matrix, x: Float64Array, o: GemvOptions = {}): Float64Array {
  checkMatrix(A, 'A');
  const n = o.trans ? A.cols : A.rows;
  let y = o.out;
  if (y === undefined) {
    y = new Float64Array(n);
  } else if (!(y instanceof Float64Array) || y.length !== n) {
    const got = y instanceof Float64Array ? `Float64Array of length ${y.length}` : describe(y);
    const Err = y instanceof Float64Array ? RangeError : TypeError;
    throw new Err(`Expected Float64Array of length ${n} for out but received ${got}`);
  }
  const out = y;
  callSync(() => addon.gemv(!!o.trans, A.rows, A.cols, A.data, x, o.alpha ?? 1, o.beta ?? 0, out));
  return out;
}
