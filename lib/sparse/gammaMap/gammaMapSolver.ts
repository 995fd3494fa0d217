/**
 * Gamma-MAP (hierarchical Bayes; Wipf & Nagarajan 2009), MNE 1.3's `_gamma_map_opt`: every source
 * gets a Gaussian prior of variance gamma; MacKay fixed-point updates drive most gammas to zero.
 * This file is the policy (normalisation, pruning, group averaging, stopping rule); each
 * iteration's linear algebra — CM = G·diag(γ)·Gᵀ + αI, its Cholesky factor, diag(GᵀCM⁻¹G) and
 * GᵀCM⁻¹M — is one native job (binding/kernels_gamma.cc).
 */
import { InputError } from '../../errors.js';
import { gram } from '../../linalg/blas.js';
import { Matrix } from '../../linalg/matrix.js';
import { addon, callAsync } from '../../native.js';

export interface GammaMapSolverOptions {
  /** @default 10000 */
  maxit?: number;
  /** Stop when Σ|γ − γ_prev| / Σ|γ_prev| < tol. @default 1e-6 */
  tol?: number;
  /** 1: MacKay update; 2: modified MacKay update (square root of the denominator). @default 1 */
  updateMode?: 1 | 2;
  /** Consecutive sources sharing one gamma (3 = xyz_same_gamma on a free/loose gain). @default 1 */
  groupSize?: number;
  /** Initial gammas, one per column of G. @default all 1 */
  gammas?: Float64Array;
}

export interface GammaMapSolution {
  /** nActive × T posterior mean of the active sources, in the units of M / G. */
  X: Matrix;
  /** Columns of G kept (ascending). */
  activeSet: Int32Array;
  /** The gammas of the active set after the last update. */
  gammas: Float64Array;
  /** Iterations run (MNE's last logged iteration index + 1). */
  nIterations: number;
  /** MNE's rule: stopped (relative change < tol, or no source left) before the last allowed iteration. */
  converged: boolean;
  /** The last relative change of the gammas. */
  change: number;
  /** Iterations where CM was not numerically positive definite (no Cholesky factor) and an eigendecomposition inverted it instead. */
  eighFallbacks: number;
}

const EPS = 2.220446049250313e-16;

/** M: nSensors × T (whitened data); G: nSensors × nSources; alpha: the noise variance. */
export async function gammaMapSolver(M: Matrix, G: Matrix, alpha: number, options: GammaMapSolverOptions = {}): Promise<GammaMapSolution> {
  const { maxit = 10000, tol = 1e-6, updateMode = 1, groupSize = 1 } = options;
  const n = G.rows, nSources = G.cols, T = M.cols;
  if (M.rows !== n) throw new InputError('M', `${n} rows (one per row of G)`, `${M.rows}`);
  if (!Number.isInteger(maxit) || maxit < 1) throw new InputError('maxit', 'a positive integer', String(maxit));
  if (!(tol > 0)) throw new InputError('tol', 'a positive number', String(tol));
  if (updateMode !== 1 && updateMode !== 2) throw new InputError('updateMode', '1 or 2', String(updateMode));
  if (!Number.isInteger(groupSize) || groupSize < 1 || nSources % groupSize !== 0) {
    throw new InputError('groupSize', `a divisor of the number of sources (${nSources})`, String(groupSize));
  }
  if (!(alpha > 0) || !Number.isFinite(alpha)) throw new InputError('alpha', 'a positive number (the noise variance)', String(alpha));
  let gammas: Float64Array = options.gammas === undefined ? new Float64Array(nSources).fill(1) : Float64Array.from(options.gammas);
  if (gammas.length !== nSources) throw new InputError('gammas', `${nSources} values (one per source)`, `${gammas.length}`);
  if (gammas.some((g) => !(g >= 0) || !Number.isFinite(g))) throw new InputError('gammas', 'finite non-negative values', 'a negative or non-finite value');

  // MNE's normalisation "so the numerical values are sane": M by sqrt(‖MMᵀ‖_F), alpha by ‖MMᵀ‖_F, G by ‖G‖_∞.
  const mNorm = gram(M, { outer: true }).frobeniusNorm();
  if (!(mNorm > 0)) throw new InputError('M', 'data that are not all zero', 'all zeros');
  const Mn = M.clone();
  for (let k = 0; k < Mn.data.length; k++) Mn.data[k] /= Math.sqrt(mNorm);
  const alphaN = alpha / mNorm;
  const gNorm = maxAbsRowSum(G);
  let Ga = G.clone();
  for (let k = 0; k < Ga.data.length; k++) Ga.data[k] /= gNorm;

  let activeSet = Int32Array.from({ length: nSources }, (_, j) => j);
  let fullOld: Float64Array = Float64Array.from(gammas);
  let A = new Matrix(0, T);
  let itno = 0, change = NaN, eighFallbacks = 0;
  const flags = new Float64Array(1);
  // The step's scratch and outputs, sized for the first (largest) active set and reused as it
  // shrinks: A alone is nSources × T doubles (3.9 MB at 2,700 free sources), and one per
  // iteration over thousands of iterations kept ~100 MB of garbage on the external heap.
  const workLength = (k: number) => n * (k + n + T) + k;
  const work = new Float64Array(workLength(nSources));
  const aBuf = new Float64Array(nSources * T), numerBuf = new Float64Array(nSources), denomBuf = new Float64Array(nSources);
  for (itno = 0; itno < maxit; itno++) {
    // 1) prune: a gamma at (or below) machine epsilon stays zero for good.
    const keep: number[] = [];
    for (let j = 0; j < gammas.length; j++) if (Math.abs(Number.isNaN(gammas[j]) ? 0 : gammas[j]) > EPS) keep.push(j);
    if (keep.length < gammas.length) {
      activeSet = Int32Array.from(keep, (j) => activeSet[j]);
      gammas = Float64Array.from(keep, (j) => gammas[j]);
      Ga = keepColumnsInPlace(Ga, keep);
    }
    // 2) the posterior statistics for the active gammas (native).
    const k = activeSet.length;
    const numer = numerBuf.subarray(0, k), denom = denomBuf.subarray(0, k);
    A = new Matrix(k, T, aBuf.subarray(0, k * T));
    await callAsync(() => addon.gammaMapStepAsync(n, k, T, Ga.data, Mn.data, gammas, alphaN, updateMode, numer, denom, A.data, flags, work.subarray(0, workLength(k))));
    eighFallbacks += flags[0];
    // 3) MacKay's fixed point, averaged over the group when sources share a gamma.
    gammas = updateGammas(numer, denom, updateMode, groupSize);
    // 4) stopping rule on the relative change of the full gamma vector.
    const full = new Float64Array(nSources);
    activeSet.forEach((j, a) => { full[j] = gammas[a]; });
    let num = 0, den = 0;
    for (let j = 0; j < nSources; j++) { num += Math.abs(full[j] - fullOld[j]); den += Math.abs(fullOld[j]); }
    change = num / den;
    fullOld = full;
    if (change < tol || k === 0) break;
  }
  const converged = itno < maxit - 1;
  const nIterations = Math.min(itno + 1, maxit);
  // Undo the normalisation: X = sqrt(‖MMᵀ‖)/‖G‖_∞ · γ · A (A from the last iteration, γ after its update).
  const scale = Math.sqrt(mNorm) / gNorm;
  const X = new Matrix(activeSet.length, T);
  for (let t = 0; t < T; t++) for (let a = 0; a < activeSet.length; a++) X.data[a + t * X.rows] = scale * gammas[a] * A.data[a + t * A.rows];
  return { X, activeSet, gammas, nIterations, converged, change, eighFallbacks };
}

/**
 * The columns `keep` (ascending) moved to the front of A's own storage: the gain shrinks as
 * gammas are pruned, and a copy per pruning would allocate a gain's worth each time (52 MB at
 * 5,960 free sources) for the garbage collector to find. A is the solver's own normalised copy.
 */
function keepColumnsInPlace(A: Matrix, keep: number[]): Matrix {
  const n = A.rows;
  keep.forEach((c, j) => { if (c !== j) A.data.copyWithin(j * n, c * n, (c + 1) * n); });
  return new Matrix(n, keep.length, A.data.subarray(0, n * keep.length));
}

function updateGammas(numer: Float64Array, denom: Float64Array, updateMode: 1 | 2, groupSize: number): Float64Array {
  const f = updateMode === 2 ? Math.sqrt : (x: number) => x;
  const out = new Float64Array(numer.length);
  if (groupSize === 1) {
    for (let j = 0; j < out.length; j++) out[j] = numer[j] / Math.max(f(denom[j]), EPS);
    return out;
  }
  // MNE divides the group sums without the epsilon floor here.
  for (let b = 0; b < out.length; b += groupSize) {
    let sn = 0, sd = 0;
    for (let c = 0; c < groupSize; c++) { sn += numer[b + c]; sd += denom[b + c]; }
    const g = sn / f(sd) / groupSize;
    for (let c = 0; c < groupSize; c++) out[b + c] = g;
  }
  return out;
}

/** ‖G‖_∞: the largest absolute row sum (numpy's norm(G, ord=inf)). */
function maxAbsRowSum(G: Matrix): number {
  const sums = new Float64Array(G.rows);
  for (let j = 0; j < G.cols; j++) for (let i = 0; i < G.rows; i++) sums[i] += Math.abs(G.data[i + j * G.rows]);
  return sums.reduce((m, v) => Math.max(m, v), 0);
}
