/**
 * MNE 1.3's tf_mixed_norm_solver and iterative_tf_mixed_norm_solver on plain matrices (Gramfort et
 * al. 2013; Bekhti et al. 2016): TF-MxNE by BCD with an active set, optionally reweighted
 * (irTF-MxNE: L0.5 in space and time through weights 1/(2·sqrt‖·‖)), then debiased.
 */
import { InputError } from '../../errors.js';
import { gemm } from '../../linalg/blas.js';
import { Matrix } from '../../linalg/matrix.js';
import { dot } from '../groupNorms.js';
import type { L21Solution } from '../l21Solution.js';
import { debiasInPlace } from './debias.js';
import { L21L1Penalty, type TfBlock } from './l21l1Penalty.js';
import { tfActiveSetSolve } from './tfActiveSet.js';
import { TfDictionary } from './tfDictionary.js';
import { stackActive, tfLipschitz, type TfProblem, type TfWeights } from './tfProblem.js';

export interface TfMixedNormSolverOptions {
  /** STFT window length(s) in samples: powers of two (a list gives a multi-scale dictionary). @default 64 */
  wsize?: number | readonly number[];
  /** STFT step(s): even divisors of wsize, at most wsize/2. @default 4 */
  tstep?: number | readonly number[];
  /** Columns per source position. @default 1 */
  nOrient?: number;
  /** BCD epochs per inner solve. @default 200 (3000 in the iterative solver) */
  maxit?: number;
  /** Absolute duality-gap tolerance (and, reweighting, on the change of Z). @default 1e-8 */
  tol?: number;
  /** @default true */
  debias?: boolean;
  /** Epochs between gap checks. @default 10 */
  dgapFreq?: number;
}

export interface TfMixedNormSolution extends L21Solution {
  /** Primal objective: at each inner gap check (single solve) or after each reweighting. */
  E: number[];
  /** Active-set iterations summed over reweightings. */
  nIterations: number;
  /** Reweightings run (1 without reweighting). */
  nReweightings: number;
}

function listOf(v: number | readonly number[], field: string): number[] {
  const a = typeof v === 'number' ? [v] : [...v];
  if (a.length === 0) throw new InputError(field, 'a number or a non-empty list', '[]');
  return a;
}

function setup(M: Matrix, G: Matrix, alphaSpace: number, alphaTime: number, o: TfMixedNormSolverOptions, maxitDefault: number) {
  const nOrient = o.nOrient ?? 1;
  if (G.rows !== M.rows) throw new InputError('G', `${M.rows} rows (one per row of M)`, `${G.rows}`);
  if (!Number.isInteger(nOrient) || nOrient < 1) throw new InputError('nOrient', 'a positive integer', String(nOrient));
  if (G.cols % nOrient !== 0) throw new InputError('G', `a multiple of nOrient (${nOrient}) columns`, `${G.cols}`);
  if (!(alphaSpace >= 0) || !(alphaTime >= 0) || alphaSpace + alphaTime === 0) throw new InputError('alphaSpace', 'alphaSpace, alphaTime ≥ 0, not both 0', `${alphaSpace}, ${alphaTime}`);
  const maxit = o.maxit ?? maxitDefault, tol = o.tol ?? 1e-8, dgapFreq = o.dgapFreq ?? 10;
  if (!Number.isInteger(maxit) || maxit < 1) throw new InputError('maxit', 'a positive integer', String(maxit));
  if (!(tol > 0)) throw new InputError('tol', 'a positive number', String(tol));
  if (!Number.isInteger(dgapFreq) || dgapFreq < 1) throw new InputError('dgapFreq', 'a positive integer', String(dgapFreq));
  const dict = new TfDictionary(listOf(o.wsize ?? 64, 'wsize'), listOf(o.tstep ?? 4, 'tstep'), M.cols);
  const problem: TfProblem = {
    M, G, nOrient, dict, penalty: new L21L1Penalty(alphaSpace, alphaTime, dict, nOrient),
    lipschitz: tfLipschitz(G, nOrient), weights: { space: null, time: null },
  };
  // MNE loops its active-set iterations without a bound; this one only guards against a hang.
  return { problem, settings: { maxit, tol, dgapFreq, maxOuter: Math.max(maxit, 1000) }, debias: o.debias ?? true };
}

function columnsOf(positions: readonly number[], nOrient: number): Int32Array {
  return Int32Array.from(positions.flatMap((p) => Array.from({ length: nOrient }, (_, o) => p * nOrient + o)));
}

/** TF-MxNE (MNE tf_mixed_norm_solver): M nSensors × T, G nSensors × nColumns, alphas absolute. */
export async function tfMixedNormSolver(M: Matrix, G: Matrix, alphaSpace: number, alphaTime: number, o: TfMixedNormSolverOptions = {}): Promise<TfMixedNormSolution> {
  const { problem, settings, debias } = setup(M, G, alphaSpace, alphaTime, o, 200);
  const r = await tfActiveSetSolve(problem, new Map(), settings);
  const s = stackActive(problem, r.Z);
  const X = problem.dict.phiT(s.re, s.im, s.cols.length);
  const activeSet = columnsOf(s.positions, problem.nOrient);
  if (debias && activeSet.length > 0) await debiasInPlace(M, G.pickCols(activeSet), X, problem.nOrient);
  return { X, activeSet, E: r.E, gap: r.gap, converged: r.converged, nIterations: r.nIterations, nReweightings: 1, epochs: r.epochs };
}

/** irTF-MxNE (MNE iterative_tf_mixed_norm_solver): nTfmxneIter reweighted TF-MxNE solves. */
export async function iterativeTfMixedNormSolver(M: Matrix, G: Matrix, alphaSpace: number, alphaTime: number, nTfmxneIter: number,
  o: TfMixedNormSolverOptions = {}): Promise<TfMixedNormSolution> {
  if (!Number.isInteger(nTfmxneIter) || nTfmxneIter < 1) throw new InputError('nTfmxneIter', 'a positive integer', String(nTfmxneIter));
  const { problem: full, settings, debias } = setup(M, G, alphaSpace, alphaTime, o, 3000);
  const { dict, nOrient: no, penalty } = full;
  const C = dict.nCoefs;
  // Positions of the previous solution (all at first) and their coefficients, in that order.
  let positions = Array.from({ length: G.cols / no }, (_, j) => j);
  let Z: TfBlock[] = [];
  const E: number[] = [];
  let gap = NaN, converged = false, nIterations = 0, epochs = 0, runs = 0;
  let X = new Matrix(0, M.cols);
  for (let k = 0; k < nTfmxneIter; k++) {
    runs++;
    const weights: TfWeights = k === 0 ? { space: null, time: null } : reweight(Z, penalty, C);
    const cols = columnsOf(positions, no);
    const sub: TfProblem = { ...full, G: G.pickCols(cols), lipschitz: Float64Array.from(positions, (p) => full.lipschitz[p]), weights };
    const r = await tfActiveSetSolve(sub, new Map(Z.map((b, a) => [a, b])), settings);
    gap = r.gap; converged = r.converged; nIterations += r.nIterations; epochs += r.epochs;
    const s = stackActive(sub, r.Z);
    const newPositions = s.positions.map((a) => positions[a]);
    const newZ = s.positions.map((a) => r.Z.get(a)!);
    X = dict.phiT(s.re, s.im, s.cols.length);
    const same = newPositions.length === positions.length && newPositions.every((p, a) => p === positions[a]);
    const prevZ = Z;
    positions = newPositions;
    Z = newZ;
    if (positions.length === 0) { E.push(0.5 * dot(M.data, M.data)); break; }
    // The reweighted objective: ½‖M − GX‖² + αs Σ sqrt‖Z_p‖ + αt Σ w_c sqrt|Z_pc|.
    const R = M.clone();
    const GX = gemm(G.pickCols(columnsOf(positions, no)), X);
    for (let i = 0; i < R.data.length; i++) R.data[i] -= GX.data[i];
    let l21 = 0, l1 = 0;
    for (const b of Z) {
      l21 += Math.sqrt(penalty.l21(b));
      const n = penalty.orientNorms(b);
      for (let c = 0; c < C; c++) l1 += dict.freqWeight[c] * Math.sqrt(n[c]);
    }
    E.push(0.5 * dot(R.data, R.data) + alphaSpace * l21 + alphaTime * l1);
    if (same && prevZ.length === Z.length && maxAbsDiff(prevZ, Z) < settings.tol) break;
  }
  const activeSet = columnsOf(positions, no);
  if (debias && activeSet.length > 0) await debiasInPlace(M, G.pickCols(activeSet), X, no);
  return { X, activeSet, E, gap, converged, nIterations, nReweightings: runs, epochs };
}

/** MNE's weights from the previous Z: w_space = 1/(2 sqrt‖Z_p‖), w_time = 1/(2 sqrt|Z_pc|) (0 where Z_pc = 0). */
function reweight(Z: readonly TfBlock[], penalty: L21L1Penalty, C: number): TfWeights {
  const space = Float64Array.from(Z, (b) => 1 / (2 * Math.sqrt(penalty.l21(b))));
  const time = new Float64Array(Z.length * C);
  Z.forEach((b, a) => {
    const n = penalty.orientNorms(b);
    for (let c = 0; c < C; c++) time[a * C + c] = n[c] === 0 ? 0 : 1 / (2 * Math.sqrt(n[c]));
  });
  return { space, time };
}

/** max |Z − Z0| over complex coefficients. */
function maxAbsDiff(A: readonly TfBlock[], B: readonly TfBlock[]): number {
  let m = 0;
  A.forEach((a, i) => {
    const b = B[i];
    for (let k = 0; k < a.re.length; k++) m = Math.max(m, Math.hypot(a.re[k] - b.re[k], a.im[k] - b.im[k]));
  });
  return m;
}
