/**
 * MNE 1.3's `make_inverse_operator` (mne/minimum_norm/inverse.py): `_prepare_forward` with the
 * minimum-norm depth defaults (gradiometer rows, spectral norm per source, limit 10) and the
 * whitener with pca='white', then the SVD of the whitened, weighted gain G̃ = U·diag(sing)·Vᵀ.
 * The operator is kept at nave = 1; `applyInverse` rescales it to the evoked's nave as
 * `prepare_inverse_operator` does.
 */
import { ChannelMismatchError, InputError } from '../errors.js';
import { gemmAsync, gramAsync } from '../linalg/blas.js';
import { eighAsync } from '../linalg/decomp.js';
import { Matrix } from '../linalg/matrix.js';
import type { Covariance } from '../records/covariance.js';
import type { Forward } from '../records/forward.js';
import type { Info, Projection } from '../records/info.js';
import type { SourceSpace } from '../records/sourceSpace.js';
import { prepareForward } from '../prepare/prepareForward.js';
import { DEPTH_MNE, depthChannels } from '../prepare/priors.js';
import type { Memo } from '../prepare/preparationCache.js';
import type { RankOption } from '../prepare/rank.js';
import type { PreparedNoiseCov } from '../prepare/whitener.js';
import { depthPriorFloat32 } from './depthPriorMne.js';
import { nextTurn } from '../eventLoop.js';

export interface InverseOperatorOptions {
  /** MNE default 'auto': 0 with fixed = true, else 0.2 for surface source spaces and 1 otherwise. */
  loose?: number | 'auto';
  /** Depth weighting exponent; null or 0 for none. @default 0.8 */
  depth?: number | null;
  /** true: fixed orientation (loose must be 0 or 'auto'); 'auto': follow `loose`. @default 'auto' */
  fixed?: boolean | 'auto';
  /** Patch-averaged (cortical patch statistics) normals for the surface orientation. @default true */
  useCps?: boolean;
  /** Noise covariance rank per channel group, 'full', or null to estimate it. @default null */
  rank?: RankOption;
}

/** FIFFV_MNE_MEG (1), FIFFV_MNE_EEG (2), FIFFV_MNE_MEG_EEG (3): the channel kinds the operator uses. */
export type InverseMethods = 1 | 2 | 3;

export interface InverseOperator {
  /** Channels of the operator (MNE's eigen_fields col_names = noise_cov names), in data order. */
  chNames: string[];
  /** The measurement info restricted to chNames (MNE's gain_info). */
  info: Info;
  /** SSP projectors of that info (MNE's inv['projs']). */
  projs: Projection[];
  /** CTF compensation grade of the forward's info. */
  /** Row of `forward.sol` holding each of `chNames`. */
  rows: Int32Array;
  compGrade: number;
  /** 1: fixed orientation (FIFFV_MNE_FIXED_ORI); 3: free or loose (FIFFV_MNE_FREE_ORI). */
  nOrient: 1 | 3;
  sourceOri: 1 | 2;
  /** The loose value used per source (0 fixed, 1 free). */
  loose: number;
  nsource: number;
  /** The prepared forward: oriented (surface / fixed) and restricted to chNames. */
  forward: Forward;
  src: SourceSpace[];
  /** (nsource · nOrient) × 3 orientation of each operator column (MNE's inv['source_nn']). */
  sourceNn: Matrix;
  /** The noise covariance over chNames at nave = 1 (eigenvalues, eigenvectors, rank). */
  noiseCov: PreparedNoiseCov;
  /** One value per gain column, or null without depth weighting. */
  depthPrior: Float64Array | null;
  /** One value per gain column (loose on the tangential columns), or null for a fixed operator. */
  orientPrior: Float64Array | null;
  /** √ of the diagonal source covariance (MNE's source_std after the trace scaling). */
  sourceStd: Float64Array;
  /** Diagonal source covariance at nave = 1: sourceStd². */
  sourceCov: Float64Array;
  /** Uᵀ: k × nchan, rows are the left singular vectors (MNE's eigen_fields['data']). */
  eigenFields: Matrix;
  /** k = min(nchan, ncol) singular values, descending. */
  sing: Float64Array;
  /** V: ncol × k (MNE's eigen_leads['data'], not weighted by the source covariance). */
  eigenLeads: Matrix;
  /** ‖W·G·diag(sourceStd before the trace scaling)‖²_F (MNE's trace_GRGT). */
  traceGRGT: number;
  nave: 1;
  methods: InverseMethods;
}

const KNOWN = new Set(['loose', 'depth', 'fixed', 'useCps', 'rank']);

/** `memo`: steps shared with other preparations of the same inputs (prepareForward's `memo`). */
export async function makeInverseOperator(info: Info, fwd: Forward, cov: Covariance, o: InverseOperatorOptions = {}, memo?: Memo): Promise<InverseOperator> {
  return buildInverseOperator(info, fwd, cov, o, null, memo);
}

/**
 * makeInverseOperator with, optionally, a given depth prior (one value per source position) in
 * place of the computed one, for fixed and free operators. For conformance tests: MNE's float32
 * `w ** exp` runs through numpy's SIMD (SVML) powf, whose last bit no portable code reproduces,
 * so tests check the rest of the operator on MNE's own prior.
 */
export async function buildInverseOperator(info: Info, fwd: Forward, cov: Covariance, o: InverseOperatorOptions, depthOverride: Float64Array | null, memo?: Memo): Promise<InverseOperator> {
  checkRecords(info, fwd, cov);
  if (o === null || typeof o !== 'object') throw new InputError('options', 'an options object', String(o));
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw new InputError(`options.${k}`, `one of ${[...KNOWN].join(', ')}`, k);
  const fixed = o.fixed ?? 'auto';
  if (fixed !== 'auto' && typeof fixed !== 'boolean') throw new InputError('fixed', "true, false or 'auto'", String(fixed));
  const useCps = o.useCps ?? true;
  if (typeof useCps !== 'boolean') throw new InputError('useCps', 'a boolean', String(useCps));
  const depthExp = o.depth === undefined ? 0.8 : o.depth;
  if (depthExp !== null && !(typeof depthExp === 'number' && depthExp >= 0 && Number.isFinite(depthExp))) {
    throw new InputError('depth', 'a finite exponent ≥ 0 or null', String(depthExp));
  }
  const loose = triageLoose(fwd.src, o.loose ?? 'auto', fixed);
  const depth = depthExp === null || depthExp === 0 ? null : { exp: depthExp, ...DEPTH_MNE };
  if (loose === 0 && fwd.sourceOri === 1 && depth !== null) {
    throw new InputError('forward', 'a free-orientation forward for a fixed-orientation inverse with depth weighting', 'a fixed-orientation forward');
  }

  // Fixed and free inverses take the depth prior from the float32 gain as read: MNE computes it in
  // float32 there (depthPriorMne.ts). A loose inverse has a float64 (rotated) gain by then.
  const float32Depth = depth !== null && (loose === 0 || loose === 1);
  if (depthOverride !== null) {
    if (!float32Depth) throw new InputError('depthOverride', 'a fixed or free operator with depth weighting', `loose ${loose}, depth ${depthExp}`);
    if (depthOverride.length !== fwd.nsource) throw new InputError('depthOverride', `one value per source (${fwd.nsource})`, String(depthOverride.length));
  }
  const float32Prior = async (sol: Matrix, rows: Int32Array, inf: Info) =>
    depthOverride ?? depthPriorFloat32(sol, Array.from(depthChannels(inf), (k) => rows[k]), depth!.exp, depth!.limit);
  const p = await prepareForward(fwd, info, cov, {
    loose, depth: float32Depth ? null : depth, rank: o.rank ?? null, pca: 'white', useCps, allowFixedDepth: false, memo,
    ...(float32Depth ? { depthPerSource: float32Prior } : {}),
  });
  const { U, s: sing, V } = await thinSvdByGram(p.gain);
  const sourceCov = p.sourceStd.map((v) => v * v);
  let hasMeg = false, hasEeg = false;
  for (const ch of p.info.chs) {
    if (ch.type === 'eeg') hasEeg = true;
    if (ch.type === 'mag' || ch.type === 'grad') hasMeg = true;
  }
  const methods: InverseMethods = hasEeg && hasMeg ? 3 : hasMeg ? 1 : 2;
  return {
    chNames: p.chNames,
    info: p.info,
    projs: p.info.projs,
    compGrade: fwd.info.compGrade,
    nOrient: p.nOrient,
    sourceOri: p.nOrient === 1 ? 1 : 2,
    loose,
    nsource: p.forward.nsource,
    forward: p.forward,
    rows: p.rows,
    src: p.forward.src,
    sourceNn: p.forward.sourceNn,
    noiseCov: p.noiseCov,
    depthPrior: p.depthPrior,
    orientPrior: p.orientPrior,
    sourceStd: p.sourceStd,
    sourceCov,
    eigenFields: U.transpose(),
    sing,
    eigenLeads: V,
    traceGRGT: p.traceGRGT,
    nave: 1,
    methods,
  };
}

/**
 * The thin SVD G̃ = U·diag(s)·Vᵀ that MNE takes with gesdd, through the eigendecomposition of the
 * small nchan × nchan G̃G̃ᵀ instead (SYRK + dsyevd + one GEMM: ~6× faster at 5,960 sources). The
 * singular vectors of zero singular values (the projected-out rows of pca='white') are set to 0:
 * the operator weighs them by s/(s² + λ²) = 0. Singular values are exact to ~eps·s_max²/s, far
 * below the 1e-9 the conformance tests ask of the operator.
 */
async function thinSvdByGram(G: Matrix): Promise<{ U: Matrix; s: Float64Array; V: Matrix }> {
  const m = G.rows, k = Math.min(G.rows, G.cols);
  const { values, vectors } = await eighAsync(await gramAsync(G, { outer: true }));
  const U = new Matrix(m, k);
  const s = new Float64Array(k);
  // dsyevd orders ascending; the SVD descending.
  for (let j = 0; j < k; j++) {
    const e = m - 1 - j;
    s[j] = Math.sqrt(Math.max(values[e], 0));
    U.data.set(vectors.col(e), j * m);
  }
  const tol = m * Number.EPSILON * (s[0] ?? 0);
  const V = await gemmAsync(G, U, { transA: true });
  const f = s.map((v) => (v > tol ? 1 / v : 0));
  for (let j = 0; j < k; j++) if (f[j] === 0) s[j] = 0;
  // V holds nsource·3 × nchan values (6.5M at 5,960 sources): a turn of the event loop after
  // every 2^20 of them, or the scaling is the pipeline's longest main-thread stretch.
  const step = Math.max(1, Math.floor((1 << 20) / Math.max(1, V.rows)));
  for (let j = 0; j < V.cols; j += step) {
    await nextTurn();
    timesColumns(V, f, j, Math.min(V.cols, j + step));
  }
  return { U, s, V };
}

/**
 * A[:, j] *= f[j] in place for columns [from, to). Not the native scaleColumns: f may hold
 * 1/s = ∞ for a subnormal s, which it refuses. Its own function: the loop inside thinSvdByGram
 * made V8 recompile all of it.
 */
function timesColumns(A: Matrix, f: Float64Array, from: number, to: number): void {
  for (let j = from; j < to; j++) {
    const c = A.col(j);
    for (let i = 0; i < c.length; i++) c[i] *= f[j];
  }
}

/** MNE's SourceSpaces.kind. */
export function sourceSpaceKind(src: readonly SourceSpace[]): 'surface' | 'volume' | 'discrete' | 'mixed' {
  const types = new Set(src.map((s) => s.type));
  if (types.size !== 1) return 'mixed';
  const t = src[0].type;
  return t === 'surf' ? 'surface' : t === 'vol' ? 'volume' : 'discrete';
}

/** MNE's `_triage_loose` for one loose value over the whole source space. */
function triageLoose(src: readonly SourceSpace[], looseIn: number | 'auto', fixed: boolean | 'auto'): number {
  let loose: number;
  if (looseIn === 'auto') loose = fixed === true ? 0 : sourceSpaceKind(src) === 'surface' ? 0.2 : 1;
  else if (typeof looseIn === 'number' && Number.isFinite(looseIn)) loose = looseIn;
  else throw new InputError('loose', "a number in [0, 1] or 'auto'", String(looseIn));
  if (fixed === true && loose !== 0) throw new InputError('loose', "0 or 'auto' with fixed = true", String(looseIn));
  if (fixed === false && loose === 0) throw new InputError('fixed', "true or 'auto' with loose = 0", 'false');
  if (!(loose >= 0 && loose <= 1)) throw new InputError('loose', 'a number in [0, 1]', String(loose));
  const restricted = src.find((s) => s.type !== 'surf' && s.type !== 'discrete');
  if (restricted && loose !== 1) {
    throw new InputError('loose', `1 or 'auto' for a ${restricted.type === 'vol' ? 'volume' : restricted.type} source space`, String(looseIn));
  }
  return loose;
}

function checkRecords(info: Info, fwd: Forward, cov: Covariance): void {
  if (!info || !Array.isArray(info.chNames) || !Array.isArray(info.chs)) throw new InputError('info', 'a measurement Info', describe(info));
  if (!fwd || !fwd.sol || !Array.isArray(fwd.src) || !Array.isArray(fwd.chNames)) throw new InputError('forward', 'a Forward', describe(fwd));
  if (!cov || !cov.data || !Array.isArray(cov.names)) throw new InputError('noiseCov', 'a Covariance', describe(cov));
  if (fwd.src.length === 0 || fwd.nsource === 0) throw new InputError('forward.src', 'at least one source', '0');
  if (fwd.sol.rows !== fwd.chNames.length) throw new InputError('forward.sol', `${fwd.chNames.length} rows (one per forward channel)`, String(fwd.sol.rows));
  const ncol = fwd.nsource * (fwd.sourceOri === 1 ? 1 : 3);
  if (fwd.sol.cols !== ncol) throw new InputError('forward.sol', `${ncol} columns (${fwd.nsource} sources)`, String(fwd.sol.cols));
  if (cov.data.rows !== cov.names.length || cov.data.cols !== cov.names.length) {
    throw new InputError('noiseCov.data', `${cov.names.length} × ${cov.names.length}`, `${cov.data.rows} × ${cov.data.cols}`);
  }
  if (fwd.info.compGrade !== info.compGrade) {
    throw new ChannelMismatchError(`CTF compensation grade of the forward (${fwd.info.compGrade}) differs from the data's (${info.compGrade})`, []);
  }
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  return typeof v === 'object' ? (v as object).constructor?.name ?? 'object' : typeof v;
}
