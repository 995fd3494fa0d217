/**
 * Loads the C++ addon (node-gyp-build: build/Release, then prebuilds/) and types its raw exports.
 * Higher layers (lib/linalg/blas.ts, …) wrap these in Matrix-shaped functions; nothing else
 * should call `addon` directly except hot solver kernels.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NativeError } from './errors.js';
import { applyMallocPolicy, type MallocPolicy } from './memoryPolicy.js';
import { loadWithKernelSelection, type BlasIdentity, type KernelSelection } from './openblas/kernelSelection.js';

/** Raw addon exports: packed column-major Float64Arrays plus explicit shapes. */
export interface Addon {
  gemm(transA: boolean, transB: boolean, aRows: number, aCols: number, A: Float64Array,
    bRows: number, bCols: number, B: Float64Array, alpha: number, beta: number, C: Float64Array): Float64Array;
  gemmAsync(transA: boolean, transB: boolean, aRows: number, aCols: number, A: Float64Array,
    bRows: number, bCols: number, B: Float64Array, alpha: number, beta: number, C: Float64Array): Promise<Float64Array>;
  gram(trans: boolean, rows: number, cols: number, A: Float64Array, out: Float64Array): Float64Array;
  gramAsync(trans: boolean, rows: number, cols: number, A: Float64Array, out: Float64Array): Promise<Float64Array>;
  /** dsyevd on the lower triangle of A (n×n, finite): w ascending, V columns = eigenvectors. Resolves to V. */
  eigh(n: number, A: Float64Array, w: Float64Array, V: Float64Array): Float64Array;
  eighAsync(n: number, A: Float64Array, w: Float64Array, V: Float64Array): Promise<Float64Array>;
  /** Thin dgesdd (jobz 'S'), k = min(m, n): U m×k, s k descending, Vt k×n. Returns s. */
  svd(m: number, n: number, A: Float64Array, U: Float64Array, s: Float64Array, Vt: Float64Array): Float64Array;
  svdAsync(m: number, n: number, A: Float64Array, U: Float64Array, s: Float64Array, Vt: Float64Array): Promise<Float64Array>;
  /** dpotrf on the lower triangle: L (n×n) with the strict upper part zeroed. */
  cholesky(n: number, A: Float64Array, L: Float64Array): Float64Array;
  /** dposv: X (n×nrhs) = A⁻¹B, A symmetric positive definite. */
  solveSpd(n: number, nrhs: number, A: Float64Array, B: Float64Array, X: Float64Array): Float64Array;
  solveSpdAsync(n: number, nrhs: number, A: Float64Array, B: Float64Array, X: Float64Array): Promise<Float64Array>;
  /** dgelsd minimum-norm least squares: X (n×nrhs), A m×n, B m×nrhs; rcond < 0 = machine precision. */
  lstsq(m: number, n: number, nrhs: number, A: Float64Array, B: Float64Array, rcond: number, X: Float64Array): Float64Array;
  lstsqAsync(m: number, n: number, nrhs: number, A: Float64Array, B: Float64Array, rcond: number,
    X: Float64Array): Promise<Float64Array>;
  /** dgemv: y = alpha·op(A)·x + beta·y, A rows×cols. */
  gemv(trans: boolean, rows: number, cols: number, A: Float64Array, x: Float64Array, alpha: number, beta: number,
    y: Float64Array): Float64Array;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  /** The calling thread's nice value (null off Linux). */
  threadNice(): number | null;
  /** Raises the calling thread's nice value to `nice` (never lowers it); returns it. */
  setThreadNice(nice: number): number | null;
  /** Threads running native jobs raise their nice value to `nice` before their next job. */
  setJobNice(nice: number): void;
  /** The calling thread's *Async jobs run on it, not on the libuv pool (runJobsInline). */
  setInlineJobs(on: boolean): void;
  /** glibc's M_MMAP_THRESHOLD and M_TRIM_THRESHOLD (lib/memoryPolicy.ts); false when not glibc or refused. */
  setMallocReuse(mmapThreshold: number, trimThreshold: number): boolean;
  /** OpenBLAS's kernel set in use (openblas_get_corename) and build line (openblas_get_config). */
  blasInfo(): BlasIdentity;
  /** MNE's _normal_orth for n normals (3n values) into out (9n, row-major 3×3 per normal). */
  normalOrthAsync(n: number, normals: Float64Array, out: Float64Array): Promise<Float64Array>;
  svdValuesAsync(m: number, n: number, A: Float64Array, s: Float64Array): Promise<Float64Array>;
  /** Rotates each source's 3 gain columns by its 3×3 basis (9 row-major values per source); fixed: normal only, float32. */
  rotateSourcesAsync(nchan: number, ns: number, sol: Float64Array, basis: Float64Array, fixed: boolean, out: Float64Array): Promise<Float64Array>;
  columnNorms2Async(rows: number, cols: number, A: Float64Array, out: Float64Array): Promise<Float64Array>;
  scaleColumns(rows: number, cols: number, A: Float64Array, s: Float64Array): Float64Array;
  scaleColumnsAsync(rows: number, cols: number, A: Float64Array, s: Float64Array): Promise<Float64Array>;
  gatherColumnsAsync(rows: number, A: Float64Array, cols: Float64Array, out: Float64Array): Promise<Float64Array>;
  divideAsync(A: Float64Array, d: number): Promise<Float64Array>;
  scaleRowsAsync(rows: number, cols: number, A: Float64Array, s: Float64Array): Promise<Float64Array>;
  rowNorms2Scaled(rows: number, cols: number, A: Float64Array, s: Float64Array, out: Float64Array): Float64Array;
  rowNorms2ScaledAsync(rows: number, cols: number, A: Float64Array, s: Float64Array, out: Float64Array): Promise<Float64Array>;
  /** Big-endian float32/float64 column-major bytes → rows rowOffset.. of a float64 matrix; stats[0] = non-finite count. */
  widenBigEndianAsync(src: Uint8Array, byteOffset: number, width: number, n: number, ncol: number, out: Float64Array,
    outRows: number, rowOffset: number, stats: Float64Array): Promise<Float64Array>;
  /** Per source: largest eigenvalue of its float32-accumulated 3×3 Gram over `rows`, rounded to float32. */
  depthGramsF32Async(nrow: number, ns: number, G: Float64Array, nr: number, rows: Float64Array, d: Float64Array): Promise<Float64Array>;
  rotateSourcesInPlaceAsync(rows: number, ns: number, A: Float64Array, basis: Float64Array, norms2: Float64Array): Promise<Float64Array>;
  /** C block = alpha·A block·B block + beta·C block; blocks given by offset and leading dimension. */
  gemmBlockAsync(m: number, n: number, k: number, alpha: number, A: Float64Array, offA: number, lda: number,
    B: Float64Array, offB: number, ldb: number, beta: number, C: Float64Array, offC: number, ldc: number): Promise<Float64Array>;
  /**
   * One Gamma-MAP iteration (binding/kernels_gamma.h); flags[0] = 1 when CM had no Cholesky factor
   * and dsyevd inverted it. work: the caller's scratch of n·(k + n + T) + k values, kept across iterations.
   */
  gammaMapStepAsync(n: number, k: number, T: number, G: Float64Array, M: Float64Array, gammas: Float64Array, alpha: number,
    updateMode: number, numer: Float64Array, denom: Float64Array, A: Float64Array, flags: Float64Array, work: Float64Array): Promise<Float64Array>;
  /** One inner L21 solve (BCD or CD epochs, binding/solvers.h) on the columns `cols`; the solution is written into Xt. */
  l21InnerSolveAsync(options: L21InnerSolveArgs): Promise<L21InnerSolveOutput>;
  /** The same solve inline (small ones: the caller bounds its epochs). */
  l21InnerSolve(options: L21InnerSolveArgs): L21InnerSolveOutput;
  /** R = M − G[:, cols]·X (binding/solvers.h SparseResidual); with GtRt also GᵀR, its block norms² and ⟨X, (GᵀR)[:, cols]⟩. */
  sparseResidualAsync(options: SparseResidualArgs): Promise<SparseResidualOutput>;
  /** The same inline (small residuals: the caller bounds the work). */
  sparseResidual(options: SparseResidualArgs): SparseResidualOutput;
  /** MNE's compute_bias on the active columns GA (m×n) of the gain: the n debiasing factors. */
  computeBiasAsync(options: ComputeBiasArgs): Promise<{ D: Float64Array; iterations: number; converged: boolean }>;
  /** The same inline (small active sets: the caller bounds its work). */
  computeBias(options: ComputeBiasArgs): { D: Float64Array; iterations: number; converged: boolean };
}

/** What every long native solve takes besides its data: a cancellation cell. */
interface SolveLink {
  /** Int32Array(1): set to 1 (Atomics.store) to stop the job between epochs. */
  cancel?: Int32Array;
}

export interface L21InnerSolveArgs extends SolveLink {
  m: number; n: number; T: number;
  /** m × n, and (GᵀM)ᵀ: T × n. */
  G: Float64Array; GtMt: Float64Array;
  /** The columns solved on: ascending, whole blocks of nOrient. */
  cols: Int32Array;
  /** T × cols.length: the warm start on entry, the solution on return. */
  Xt: Float64Array;
  normM2: number; alpha: number; maxit: number; tol: number; nOrient: number; cd: boolean; dgapFreq: number;
}

export interface L21InnerSolveOutput {
  /** Primal objective at each gap check. */
  E: Float64Array; gap: number; converged: boolean; epochs: number;
}

export interface SparseResidualArgs extends SolveLink {
  m: number; n: number; T: number; nOrient: number;
  /** m × T and m × n; with GtMt ((GᵀM)ᵀ, T × n) GᵀR is formed from the columns' Gram when that is cheaper. */
  M: Float64Array; G: Float64Array; GtMt?: Float64Array;
  /** The columns X lives on: ascending, whole blocks of nOrient. */
  cols: Int32Array;
  /** X transposed: T × cols.length. */
  Xt: Float64Array;
  /** Written if given: R (m × T); with norms2, one squared norm per block of GᵀR, and GᵀR transposed (T × n) into GtRt if given. */
  R?: Float64Array; GtRt?: Float64Array; norms2?: Float64Array;
  /** false: ‖R‖² is known to the caller (‖M‖² with no columns) and not summed again; normR2 comes back NaN. @default true */
  sumR2?: boolean;
}

export interface SparseResidualOutput { normR2: number; xGtR: number }

export interface ComputeBiasArgs extends SolveLink {
  m: number; n: number; T: number; M: Float64Array; GA: Float64Array; X: Float64Array;
  /** n×n start of the power iteration (numpy RandomState(0).randn, row-major draws). */
  B: Float64Array;
  maxIter: number; tol: number; nOrient: number;
}

/** The package root: the first folder up from here with a package.json (works from lib/ and dist/lib/). */
export function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`mxne: no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

/** Exports added last: a binary without them was built from older sources. */
const NEWEST_EXPORTS = ['setMallocReuse', 'setInlineJobs'];

/** The newest exports `addon` lacks (a stale build that still loads: a clone pulled after a native change). */
export function missingExports(addon: object): string[] {
  return NEWEST_EXPORTS.filter((name) => typeof (addon as Record<string, unknown>)[name] !== 'function');
}

function load(): Addon {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeGypBuild = require('node-gyp-build') as ((dir: string) => unknown) & { path(dir: string): string };
  let addon: Addon;
  try {
    addon = nodeGypBuild(packageRoot()) as Addon;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`mxne: the native addon could not be loaded (${why}). Run \`npm install\` in ${packageRoot()} ` +
      'to build it; it needs libopenblas0 and liblapacke at run time.');
  }
  const missing = missingExports(addon);
  if (missing.length > 0) {
    throw new Error(`mxne: the native addon ${nodeGypBuild.path(packageRoot())} was built from older sources (no ${missing.join(', ')}). ` +
      `Rebuild it: \`npm run build:native\` in ${packageRoot()}.`);
  }
  return addon;
}

const loaded = loadWithKernelSelection(load);

export const addon: Addon = loaded.addon;

/** The OpenBLAS kernel set in use, what mxne chose and why (`mxne doctor`, result.json). */
export const blasSelection: KernelSelection = loaded.selection;

/** Whether the C allocator keeps large blocks for reuse, and why (`mxne doctor`, result.json). */
export const mallocPolicy: MallocPolicy = applyMallocPolicy((m, t) => addon.setMallocReuse(m, t));

interface RawNativeError { code?: unknown; op?: unknown; info?: unknown; message: string }

/** Turns a kernel failure (code ELAPACK/EKERNEL) into a NativeError; argument errors pass unchanged. */
export function nativeError(e: unknown): unknown {
  const r = e as RawNativeError;
  if (e instanceof Error && (r.code === 'ELAPACK' || r.code === 'EKERNEL')) {
    return new NativeError(String(r.op), Number(r.info), r.message);
  }
  return e;
}

/** Runs a sync native call, rethrowing kernel failures as NativeError. */
export function callSync<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw nativeError(e);
  }
}

/** Awaits an async native call; the rejection becomes a NativeError carrying this JS stack. */
export async function callAsync<T>(fn: () => Promise<T>): Promise<T> {
  // Captured now, formatted only on failure: formatting costs ~0.1 ms a call, and a solve makes dozens.
  const here = new Error();
  try {
    return await fn();
  } catch (e) {
    const err = nativeError(e);
    const stack = here.stack;
    if (err instanceof Error && stack) err.stack = `${err.name}: ${err.message}\n${stack.split('\n').slice(1).join('\n')}`;
    throw err;
  }
}

/** Cancellation cells of the native solves in flight, set at process exit. */
const inFlight = new Set<Int32Array>();
let exitHookInstalled = false;

/**
 * Sets `cell` at process exit unless the returned function is called first: Node joins the libuv
 * pool and the worker threads on exit, so a native solve running in either would otherwise keep
 * `process.exit()` waiting until it ends.
 */
export function cancelAtExit(cell: Int32Array): () => void {
  if (!exitHookInstalled) {
    process.on('exit', () => { for (const c of inFlight) Atomics.store(c, 0, 1); });
    exitHookInstalled = true;
  }
  inFlight.add(cell);
  return () => inFlight.delete(cell);
}

/** A signal's cell set from another thread, and how to abort the signal once the cell is seen set. */
interface SharedCancellation { cell: Int32Array; abort: () => void }
const sharedCancellations = new WeakMap<AbortSignal, SharedCancellation>();

/**
 * Lets another thread stop the native jobs run under `controller.signal`: `cell` (an Int32Array
 * on a SharedArrayBuffer) is what they read instead of a cell of their own, and once one stops
 * because it is set, the controller is aborted with `reason`. For a pool worker, whose jobs run
 * inline (runJobsInline): while one runs, its thread cannot take the message that aborts the signal.
 */
export function shareCancellation(controller: AbortController, cell: Int32Array, reason: unknown): void {
  sharedCancellations.set(controller.signal, { cell, abort: () => controller.abort(reason) });
}

/**
 * Runs a long native job (l21SolveAsync, computeBiasAsync) that can be stopped: its cancellation
 * cell is set when `signal` aborts, and at process exit (cancelAtExit). An aborted job rejects
 * with the signal's reason.
 */
export async function runCancellable<T>(start: (cancel: Int32Array) => Promise<T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  const shared = signal && sharedCancellations.get(signal);
  const cell = shared?.cell ?? new Int32Array(1);
  const abort = () => Atomics.store(cell, 0, 1);
  const exited = cancelAtExit(cell);
  signal?.addEventListener('abort', abort, { once: true });
  try {
    return await callAsync(() => start(cell));
  } catch (e) {
    if ((e as { code?: unknown }).code === 'EABORT') {
      if (shared && Atomics.load(cell, 0) !== 0) shared.abort();
      if (signal?.aborted) throw signal.reason;
    }
    throw e;
  } finally {
    exited();
    signal?.removeEventListener('abort', abort);
  }
}

/**
 * Runs the calling thread's native jobs (the *Async exports) on the thread itself: each call
 * returns a settled Promise. For a pool worker, which awaits its jobs one at a time: the libuv
 * pool is the whole process's, and as many long solves as its threads held them all while the
 * main thread waited to read or write a file (binding/async.cc).
 */
export function runJobsInline(): void {
  addon.setInlineJobs(true);
}

/**
 * Sets OpenBLAS's thread count for the whole process. mxne starts at 1 (unless OPENBLAS_NUM_THREADS
 * is set). Above 1, do not start child processes while async native calls are in flight: OpenBLAS
 * 0.3.21's fork handler deadlocks with a running threaded call (toolchain.md §6).
 */
export function setNumThreads(n: number): void {
  addon.setNumThreads(n);
}

export function getNumThreads(): number {
  return addon.getNumThreads();
}

/**
 * Lowers the CPU priority of solves below the calling thread's: `increment` is added to this
 * thread's nice value (capped at 19), and from now on every thread that runs a native job (the
 * libuv pool's, shared by the whole process and by its fs calls) raises its own nice value to
 * that before its next job. For a service whose event loop must stay responsive while it solves.
 * Irreversible for the process (an unprivileged thread cannot lower its nice value again).
 * Returns the target nice value (the one `setThreadNice` gives pool workers), or null off Linux.
 */
export function lowerJobPriority(increment: number): number | null {
  const base = addon.threadNice();
  if (base === null) return null;
  const target = Math.min(19, base + increment);
  addon.setJobNice(target);
  return target;
}

/** Raises the calling thread's nice value to `nice` (a pool worker at start-up: lowerJobPriority's target). */
export function setThreadNice(nice: number): number | null {
  return addon.setThreadNice(nice);
}

/** The calling thread's nice value (null off Linux). */
export function threadNice(): number | null {
  return addon.threadNice();
}
