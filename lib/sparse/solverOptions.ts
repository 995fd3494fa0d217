/**
 * Options of the public L21 solvers (MNE 1.3's `mixed_norm_solver` / `iterative_mixed_norm_solver`
 * keyword arguments in camelCase, with MNE's defaults), normalised once into `L21Options`.
 * MNE's solver choice lives here: 'auto' is coordinate descent for nOrient 1 and BCD otherwise;
 * 'cd' with nOrient > 1 falls back to BCD with a warning (MNE warns; mxne returns it as data).
 */
import { InputError } from '../errors.js';
import { firstNonFinite, type Matrix } from '../linalg/matrix.js';

/** Reported after each active-set iteration (MxNE) or reweighting (irMxNE). */
export interface SolveProgress {
  /** Outer iterations so far: active-set iterations (MxNE) or reweightings (irMxNE). */
  outer: number;
  /** BCD / CD sweeps so far. */
  epochs: number;
  /** The last duality gap computed. */
  gap: number;
  /** In a run of several solves (SURE's grid): which one this is, of how many, at which alpha (% of alpha_max). */
  solve?: { index: number; count: number; alpha: number };
}

export interface MixedNormSolverOptions {
  /** Iteration cap of the inner solver and of the active-set loop. @default 3000 */
  maxit?: number;
  /** Absolute duality-gap tolerance. @default 1e-8 */
  tol?: number;
  /** Blocks added per active-set iteration; null solves on all columns at once. @default 50 */
  activeSetSize?: number | null;
  /** Debias the amplitudes (MNE's compute_bias) after the solve. @default true */
  debias?: boolean;
  /** Columns per source (block size): any positive divisor of G's columns. @default 1 */
  nOrient?: number;
  /** 'bcd' (with Anderson acceleration), 'cd' (scikit-learn's, fixed orientation), 'auto'. @default 'auto' */
  solver?: 'auto' | 'bcd' | 'cd';
  /** Epochs between duality-gap checks. @default 10 */
  dgapFreq?: number;
  /** Stops the solve between epochs; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called after each active-set iteration (MxNE) or reweighting (irMxNE). */
  onProgress?: (p: SolveProgress) => void;
}

export interface IterativeMixedNormSolverOptions extends MixedNormSolverOptions {
  /** Initial column weights (MNE's weight_init; a weight of 0 drops the column). @default all ones */
  weightInit?: Float64Array | null;
}

/** The settings a solve runs with: every field set, the solver resolved. */
export interface L21Options {
  maxit: number;
  tol: number;
  activeSetSize: number | null;
  debias: boolean;
  nOrient: number;
  solver: 'bcd' | 'cd';
  dgapFreq: number;
  signal?: AbortSignal;
  onProgress?: (p: SolveProgress) => void;
}

/** Returned (never thrown) when the requested solver cannot run and another one did, as MNE warns. */
export interface SolverChoiceWarning {
  readonly code: 'ESOLVER';
  readonly message: string;
  readonly requested: 'cd';
  readonly used: 'bcd';
}

export const SOLVER_DEFAULTS = Object.freeze({ maxit: 3000, tol: 1e-8, activeSetSize: 50, debias: true, nOrient: 1, solver: 'auto', dgapFreq: 10 } as const);

/** MNE's resolution of 'auto' / 'cd' for a block size, with the warning MNE gives for cd with nOrient > 1. */
export function resolveSolver(solver: 'auto' | 'bcd' | 'cd', nOrient: number): { solver: 'bcd' | 'cd'; warning: SolverChoiceWarning | null } {
  if (solver === 'bcd' || (solver === 'auto' && nOrient > 1)) return { solver: 'bcd', warning: null };
  if (nOrient === 1) return { solver: 'cd', warning: null };
  if (solver === 'auto') return { solver: 'bcd', warning: null };
  return {
    solver: 'bcd',
    warning: { code: 'ESOLVER', requested: 'cd', used: 'bcd', message: 'Coordinate descent is only available for fixed orientation (nOrient 1); used block coordinate descent instead' },
  };
}

function positiveInt(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new InputError(field, 'a positive integer', String(v));
  return v;
}

/** Shape, and unless `scan` is false, finiteness. */
export function checkMatrix(field: string, A: unknown, rows?: number, scan = true): Matrix {
  const m = A as Matrix;
  if (typeof A !== 'object' || A === null || !(m.data instanceof Float64Array) || !Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.data.length !== m.rows * m.cols) {
    throw new InputError(field, 'a Matrix (rows, cols, column-major Float64Array data)', typeof A);
  }
  if (rows !== undefined && m.rows !== rows) throw new InputError(`${field}.rows`, `${rows} (the rows of M)`, String(m.rows));
  // Its own function (linalg/matrix.ts): scanned inline, V8 optimised the loop while it ran (on-stack
  // replacement) and then met the code after it without type feedback, deoptimising once per solve.
  const bad = scan ? firstNonFinite(m.data) : -1;
  if (bad >= 0) throw new InputError(field, 'finite values', `${m.data[bad]} at row ${bad % m.rows}, column ${Math.floor(bad / m.rows)}`);
  return m;
}

/**
 * Runs a public solve on M. The native kernels check M's values through the sums they form (a
 * non-finite M makes ‖M‖² non-finite and stops the solve), so M is scanned only when the solve
 * fails: a non-finite M is still an InputError naming it, and a finite one costs no pass of
 * main-thread JavaScript per solve (a scan that V8 runs unoptimised in a process's first solves).
 */
export async function checkingM<T>(M: Matrix, solve: () => Promise<T>): Promise<T> {
  try {
    return await solve();
  } catch (e) {
    checkMatrix('M', M);
    throw e;
  }
}

/**
 * Checks the shapes of M and G and alpha, applies MNE's defaults; the warning (if any) is returned
 * with the settings. M's and G's values are checked by the native solve (a RangeError naming G;
 * checkingM turns a non-finite M into an InputError): a scan of a 300 × 20,000 gain here would
 * cost as much as a small solve.
 */
export function normalizeSolverOptions(M: Matrix, G: Matrix, alpha: number, o: MixedNormSolverOptions): { settings: L21Options; warnings: SolverChoiceWarning[] } {
  checkMatrix('M', M, undefined, false);
  checkMatrix('G', G, M.rows, false);
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0) throw new InputError('alpha', 'a finite number >= 0', String(alpha));
  const nOrient = positiveInt('nOrient', o.nOrient ?? SOLVER_DEFAULTS.nOrient);
  if (G.cols % nOrient !== 0) throw new InputError('nOrient', `a divisor of G's ${G.cols} columns`, String(nOrient));
  const tol = o.tol ?? SOLVER_DEFAULTS.tol;
  if (typeof tol !== 'number' || !Number.isFinite(tol) || tol < 0) throw new InputError('tol', 'a finite number >= 0', String(tol));
  const ass = o.activeSetSize === undefined ? SOLVER_DEFAULTS.activeSetSize : o.activeSetSize;
  const solverName = o.solver ?? SOLVER_DEFAULTS.solver;
  if (!['auto', 'bcd', 'cd'].includes(solverName)) throw new InputError('solver', "'auto', 'bcd' or 'cd'", String(solverName));
  const debias = o.debias ?? SOLVER_DEFAULTS.debias;
  if (typeof debias !== 'boolean') throw new InputError('debias', 'a boolean', String(debias));
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new InputError('onProgress', 'a function', typeof o.onProgress);
  const { solver, warning } = resolveSolver(solverName, nOrient);
  return {
    settings: {
      maxit: positiveInt('maxit', o.maxit ?? SOLVER_DEFAULTS.maxit), tol,
      activeSetSize: ass === null ? null : positiveInt('activeSetSize', ass), debias, nOrient, solver,
      dgapFreq: positiveInt('dgapFreq', o.dgapFreq ?? SOLVER_DEFAULTS.dgapFreq), signal: o.signal, onProgress: o.onProgress,
    },
    warnings: warning ? [warning] : [],
  };
}
