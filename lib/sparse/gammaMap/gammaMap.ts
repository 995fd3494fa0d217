/**
 * gammaMap(): MNE 1.3's `gamma_map` on an evoked response — policy only. Prepare the gain (depth
 * 0.8, loose 'auto', no weights), whiten the data, run the Gamma-MAP solver (one gamma per source
 * for xyzSameGamma, else per column), and build dipoles, the sparse estimate and the residual.
 * Beyond MNE, on purpose: no active source is an outcome (`warnings`), not an exception.
 */
import { InputError } from '../../errors.js';
import { autoLoose } from '../../prepare/autoLoose.js';
import { prepareGain } from '../../prepare/prepareGain.js';
import type { RankOption } from '../../prepare/rank.js';
import type { Covariance } from '../../records/covariance.js';
import type { Evoked } from '../../records/evoked.js';
import type { Forward } from '../../records/forward.js';
import type { NoActiveSourceWarning } from '../../results/makeSparseResult.js';
import { Matrix } from '../../linalg/matrix.js';
import { checkEvoked, solverResult, whitenedData, type SparseSolverResult } from '../solverResult.js';
import { gammaMapSolver } from './gammaMapSolver.js';

/** Options of gammaMap(): names and defaults of MNE 1.3's gamma_map, in camelCase. */
export interface GammaMapOptions {
  /** Orientation constraint: 0 fixed, 1 free; 'auto' = 0.2 on surfaces, 1 otherwise. @default 'auto' */
  loose?: number | 'auto';
  /** Depth-weighting exponent; null disables. @default 0.8 */
  depth?: number | null;
  /** One gamma for the 3 components of a source (free/loose gains). @default true */
  xyzSameGamma?: boolean;
  /** @default 10000 */
  maxit?: number;
  /** Relative change of the gammas at which to stop. @default 1e-6 */
  tol?: number;
  /** 1: MacKay update; 2: modified MacKay update. @default 1 */
  updateMode?: 1 | 2;
  /** Initial gammas, one per gain column. @default all 1 */
  gammas?: Float64Array | null;
  rank?: RankOption;
  /** 'vector' keeps x, y, z rows in `stc`. @default null */
  pickOri?: 'vector' | null;
}

export interface GammaMapDiagnostics {
  nIterations: number;
  converged: boolean;
  /** The last relative change of the gammas (compared with tol). */
  change: number;
  /** Iterations where CM had no Cholesky factor and an eigendecomposition inverted it instead. */
  eighFallbacks: number;
  /** Active columns of the prepared gain (before completing free sources to 3 components). */
  activeColumns: Int32Array;
  groupSize: number;
}

export interface GammaMapResult extends SparseSolverResult {
  diagnostics: GammaMapDiagnostics;
  warnings: NoActiveSourceWarning[];
}

const KNOWN = ['loose', 'depth', 'xyzSameGamma', 'maxit', 'tol', 'updateMode', 'gammas', 'rank', 'pickOri'];

/** Gamma-MAP with MNE's defaults; alpha is the regularisation (noise variance of the whitened data). */
export async function gammaMap(evoked: Evoked, forward: Forward, noiseCov: Covariance, alpha: number, options: GammaMapOptions = {}): Promise<GammaMapResult> {
  for (const key of Object.keys(options)) if (!KNOWN.includes(key)) throw new InputError(`options.${key}`, `one of ${KNOWN.join(', ')}`, `unknown option "${key}"`);
  if (typeof alpha !== 'number' || !(alpha > 0) || !Number.isFinite(alpha)) throw new InputError('alpha', 'a positive number', String(alpha));
  const o = { loose: 'auto' as number | 'auto', depth: 0.8 as number | null, xyzSameGamma: true, maxit: 10000, tol: 1e-6, updateMode: 1 as 1 | 2, gammas: null as Float64Array | null, rank: null as RankOption, pickOri: null as 'vector' | null, ...stripUndefined(options) };
  if (o.loose !== 'auto' && !(o.loose >= 0 && o.loose <= 1)) throw new InputError('loose', "a number in [0, 1] or 'auto'", String(o.loose));
  if (o.depth !== null && !(o.depth >= 0 && o.depth <= 1)) throw new InputError('depth', 'a number in [0, 1] or null', String(o.depth));
  if (typeof o.xyzSameGamma !== 'boolean') throw new InputError('xyzSameGamma', 'a boolean', String(o.xyzSameGamma));
  if (o.pickOri !== null && o.pickOri !== 'vector') throw new InputError('pickOri', "null or 'vector'", String(o.pickOri));
  checkEvoked(evoked);

  const loose = o.loose === 'auto' ? autoLoose(forward.src) : o.loose;
  const prep = await prepareGain(forward, evoked.info, noiseCov, { depth: o.depth, loose, rank: o.rank, weights: null, weightsMin: 0 });
  if (o.pickOri === 'vector' && prep.nOrient === 1) throw new InputError('pickOri', 'null with a fixed-orientation forward', "'vector'");
  const groupSize = prep.nOrient === 1 || !o.xyzSameGamma ? 1 : 3;
  const M = await whitenedData(prep, evoked);
  const solved = await gammaMapSolver(M, prep.gain, alpha, {
    maxit: o.maxit, tol: o.tol, updateMode: o.updateMode, groupSize, ...(o.gammas === null ? {} : { gammas: o.gammas }),
  });
  // Separate gammas on a free/loose gain: complete each active source to its 3 components (zero rows).
  const { X, columns } = prep.nOrient === 3 && groupSize === 1 ? wholeBlocks(solved.X, solved.activeSet) : { X: solved.X, columns: solved.activeSet };
  const { result, warnings } = solverResult(prep, prep.gain, M, evoked, { X, columns, alphaScale: 1 }, o.pickOri);
  return {
    ...result,
    diagnostics: {
      nIterations: solved.nIterations, converged: solved.converged, change: solved.change, eighFallbacks: solved.eighFallbacks,
      activeColumns: solved.activeSet, groupSize,
    },
    warnings,
  };
}

function wholeBlocks(X: Matrix, active: Int32Array): { X: Matrix; columns: Int32Array } {
  const sources = Array.from(new Set(Array.from(active, (c) => Math.floor(c / 3))));
  const columns = Int32Array.from(sources.flatMap((s) => [3 * s, 3 * s + 1, 3 * s + 2]));
  const at = new Map(Array.from(columns, (c, k) => [c, k] as const));
  const out = new Matrix(columns.length, X.cols);
  active.forEach((c, a) => { const r = at.get(c)!; for (let t = 0; t < X.cols; t++) out.data[r + t * out.rows] = X.data[a + t * X.rows]; });
  return { X: out, columns };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
