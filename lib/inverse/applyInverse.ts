/**
 * MNE 1.3's `prepare_inverse_operator` + `_assemble_kernel` + `apply_inverse` for an evoked
 * response: the operator is rescaled to the evoked's nave (noise covariance × 1/nave, source
 * covariance × 1/nave), the regularised inverter reginv = sing / (sing² + λ²) is formed over the
 * noise covariance's rank, and the estimate is
 *   ĵ = diag(√sourceCov) · V · diag(reginv) · Uᵀ · W · P · data,
 * with W the whitener of cov/nave (pca='white') and P the SSP projector. dSPM and sLORETA divide
 * each source by its noise norm; free and loose operators combine x/y/z (MNE's combine_xyz)
 * unless an orientation is picked.
 */
import { ChannelMismatchError, InputError } from '../errors.js';
import { gemmAsync } from '../linalg/blas.js';
import { rowNorms2Scaled, rowNorms2ScaledSync, scaleRows } from '../linalg/columns.js';
import { Matrix } from '../linalg/matrix.js';
import { Evoked } from '../records/evoked.js';
import type { SourceEstimate } from '../records/sourceEstimate.js';
import { pickInfo } from '../prepare/pickChannels.js';
import { needsEegAverageReference } from '../prepare/picksByType.js';
import { optionsKey, type Memo } from '../prepare/preparationCache.js';
import { makeProjector } from '../prepare/projector.js';
import { normalOrthBasis, sourceNormals } from '../prepare/surfaceOrientation.js';
import { computeWhitener } from '../prepare/whitener.js';
import { combineXyz } from './combineXyz.js';
import { sourceSpaceKind, type InverseOperator } from './makeInverseOperator.js';
import { nameIndex, namesMissing, positionsOf } from '../records/nameIndex.js';

export type InverseMethod = 'MNE' | 'dSPM' | 'sLORETA';

export interface ApplyInverseOptions {
  /** Regularisation, 1 / SNR². @default 1/9 */
  lambda2?: number;
  /** @default 'dSPM' */
  method?: InverseMethod;
  /**
   * null: one row per source (the x/y/z norm for free and loose operators); 'normal': the
   * component normal to the cortex (free or loose operators on surface spaces); 'vector': three
   * rows per source, x/y/z in head coordinates. @default null
   */
  pickOri?: null | 'normal' | 'vector';
}

/** What `prepare_inverse_operator` adds to an operator for one nave, λ² and method. */
export interface PreparedInverse {
  nave: number;
  lambda2: number;
  method: InverseMethod;
  /** sing / (sing² + λ²) for the first `rank` singular values, 0 beyond (MNE's reginv). */
  reginv: Float64Array;
  /** Number of positive noise covariance eigenvalues (MNE's compute_rank_inverse). */
  rank: number;
  /** Source covariance scaled to nave: sourceCov / nave. */
  sourceCov: Float64Array;
  /** The whitener of cov/nave, nchan × nchan with zero rows outside the rank (pca='white'). */
  whitener: Matrix;
  /** The SSP projector over the operator's channels, or null when no projector applies. */
  proj: Matrix | null;
  /** One factor per source position (MNE's noisenorm = 1 / noise norm), or null for 'MNE'. */
  noisenorm: Float64Array | null;
}

const METHODS: readonly InverseMethod[] = ['MNE', 'dSPM', 'sLORETA'];
const KNOWN = new Set(['lambda2', 'method', 'pickOri']);

/**
 * MNE's `prepare_inverse_operator(inv, nave, lambda2, method)`. `leadNorms2` (applyInverse's, made
 * off the main thread): noiseLeadNorms2(inv, lambda2, method); computed here when not given.
 */
export function prepareInverseOperator(inv: InverseOperator, nave: number, lambda2: number, method: InverseMethod, leadNorms2?: Float64Array): PreparedInverse {
  checkOperator(inv);
  if (!(typeof nave === 'number' && nave > 0 && Number.isFinite(nave))) throw new InputError('nave', 'a positive number of averages', String(nave));
  checkLambda(lambda2, method);
  if (!METHODS.includes(method)) throw new InputError('method', METHODS.join(', '), String(method));
  const scale = inv.nave / nave;
  const sourceCov = inv.sourceCov.map((v) => v * scale);
  const reginv = regularizedInverse(inv, lambda2);
  let rank = 0;
  for (const e of inv.noiseCov.eig) if (e > 0) rank++;
  const { P } = makeProjector(inv.projs, inv.chNames);
  const whitener = computeWhitener(inv.noiseCov, { pca: 'white', nave: nave / inv.nave });
  let noisenorm: Float64Array | null = null;
  if (method !== 'MNE') {
    const sq = leadNorms2 ?? rowNorms2ScaledSync(inv.eigenLeads, noiseWeights(inv, reginv, lambda2, method));
    noisenorm = noiseNorms(sourceCov, sq, inv.nOrient);
  }
  return { nave, lambda2, method, reginv, rank, sourceCov, whitener, proj: P, noisenorm };
}

/**
 * 1 / (√sourceCov · ‖V_k ∘ weight‖), with (free) the norm over each source's `n` components.
 * Its own function, as every element loop here: a hot loop inside a large function makes V8
 * recompile the whole function on each call (on-stack replacement), and a pool worker's rows never
 * keep it compiled.
 */
function noiseNorms(sourceCov: Float64Array, sq: Float64Array, n: number): Float64Array {
  const out = new Float64Array(sq.length / n);
  for (let k = 0; k < out.length; k++) {
    let s = 0;
    for (let c = 0; c < n; c++) s += sourceCov[k * n + c] * sq[k * n + c];
    out[k] = 1 / Math.sqrt(s);
  }
  return out;
}

/** reginv over the noise covariance's rank (MNE's reginv). */
function regularizedInverse(inv: InverseOperator, lambda2: number): Float64Array {
  let rank = 0;
  for (const e of inv.noiseCov.eig) if (e > 0) rank++;
  const reginv = new Float64Array(inv.sing.length);
  for (let k = 0; k < Math.min(rank, reginv.length); k++) {
    const s = inv.sing[k];
    reginv[k] = s > 0 ? s / (s * s + lambda2) : 0;
  }
  return reginv;
}

/** The weight of each eigenlead in the noise norm: reginv for dSPM, scaled for sLORETA. */
function noiseWeights(inv: InverseOperator, reginv: Float64Array, lambda2: number, method: InverseMethod): Float64Array {
  return method === 'dSPM' ? reginv : reginv.map((r, k) => r * Math.sqrt(1 + inv.sing[k] ** 2 / lambda2));
}

/** What every evoked applied with one operator, nave, λ² and method shares (read only). */
interface Application {
  p: PreparedInverse;
  /** diag(reginv) · Uᵀ · W · P: k × nchan. */
  trans: Matrix;
}

async function prepareApplication(inv: InverseOperator, nave: number, lambda2: number, method: InverseMethod): Promise<Application> {
  // The noise norms' pass over the eigenleads (ncol × k) runs off the main thread.
  const leadNorms2 = method === 'MNE' ? undefined : await rowNorms2Scaled(inv.eigenLeads, noiseWeights(inv, regularizedInverse(inv, lambda2), lambda2, method));
  const p = prepareInverseOperator(inv, nave, lambda2, method, leadNorms2);
  const WP = p.proj === null ? p.whitener : await gemmAsync(p.whitener, p.proj);
  const trans = await gemmAsync(inv.eigenFields, WP);
  await scaleRows(trans, p.reginv);
  return { p, trans };
}

/**
 * MNE's `apply_inverse(evoked, inv, lambda2, method, pick_ori)`: a dense estimate over all
 * sources, times from the evoked. `memo` (keys scoped to this operator): shares the prepared
 * operator and its trans product among evokeds of one nave, as a subject's conditions.
 */
export async function applyInverse(evoked: Evoked, inv: InverseOperator, o: ApplyInverseOptions = {}, memo?: Memo): Promise<SourceEstimate> {
  if (!(evoked instanceof Evoked)) throw new InputError('evoked', 'an Evoked', evoked === null ? 'null' : typeof evoked);
  checkOperator(inv);
  if (o === null || typeof o !== 'object') throw new InputError('options', 'an options object', String(o));
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw new InputError(`options.${k}`, `one of ${[...KNOWN].join(', ')}`, k);
  const lambda2 = o.lambda2 ?? 1 / 9;
  const method = o.method ?? 'dSPM';
  const pickOri = o.pickOri ?? null;
  if (!METHODS.includes(method)) throw new InputError('method', METHODS.join(', '), String(method));
  checkLambda(lambda2, method);
  if (pickOri !== null && pickOri !== 'normal' && pickOri !== 'vector') throw new InputError('pickOri', "null, 'normal' or 'vector'", String(pickOri));
  const kind = sourceSpaceKind(inv.src);
  if (kind === 'mixed') throw new InputError('inverse.src', 'surface, volume or discrete source spaces (mixed estimates are not supported)', 'mixed');
  if (pickOri === 'normal') {
    if (kind !== 'surface' && kind !== 'discrete') throw new InputError('pickOri', "null or 'vector' for a volume source space ('normal' needs surface or discrete sources)", 'normal');
    if (inv.nOrient !== 3) throw new InputError('pickOri', "null or 'vector' for a fixed-orientation operator ('normal' needs a free or loose one)", 'normal');
  }

  // _check_reference, _check_ch_names, _pick_channels_inverse_operator
  const where = nameIndex(evoked.info.chNames);
  const missing = namesMissing(inv.chNames, where);
  if (missing.length > 0) throw new ChannelMismatchError('Channels of the inverse operator are not present in the evoked data', missing);
  if (needsEegAverageReference(pickInfo(evoked.info, inv.chNames))) {
    throw new InputError('evoked.info.projs', 'an EEG average reference projector (mandatory for modelling)', 'none');
  }
  if (evoked.info.compGrade !== inv.compGrade) {
    throw new ChannelMismatchError(`CTF compensation grade of the inverse operator (${inv.compGrade}) differs from the evoked's (${evoked.info.compGrade})`, []);
  }
  const make = () => prepareApplication(inv, evoked.nave, lambda2, method);
  const { p, trans } = await (memo ? memo(`apply|${optionsKey([evoked.nave, lambda2, method])}`, make) : make());
  const data = evoked.data.pickRows(positionsOf(where, inv.chNames));
  const bad = data.firstNonFinite();
  if (bad >= 0) throw new InputError('evoked.data', 'finite values', String(data.data[bad]));

  // sol = diag(√sourceCov) · V · (trans · data).
  const Y = await gemmAsync(trans, data);
  const sol = await gemmAsync(inv.eigenLeads, Y);
  const sd = p.sourceCov.map(Math.sqrt);
  await scaleRows(sol, sd);

  const ns = inv.nsource;
  let out: Matrix;
  let vector = false;
  if (inv.nOrient === 3 && pickOri === 'normal') {
    out = normalComponents(sol, ns, await rotateToNormal(inv));
  } else if (inv.nOrient === 3 && pickOri === 'vector') {
    out = sol;
    vector = true;
  } else if (inv.nOrient === 3) {
    out = combineXyz(sol);
  } else {
    out = sol;
  }
  if (p.noisenorm) {
    const nn = p.noisenorm, per = out.rows / ns;
    await scaleRows(out, per === 1 ? nn : Float64Array.from({ length: out.rows }, (_, i) => nn[Math.floor(i / per)]));
  }
  if (pickOri === 'vector') {
    out = toHeadXyz(out, inv);
    vector = true;
  }
  return {
    kind: kind === 'surface' ? 'surface' : 'volume',
    vector,
    vertices: inv.src.map((s) => Int32Array.from(s.vertno)),
    data: out,
    tmin: evoked.times[0],
    tstep: 1 / evoked.info.sfreq,
    subject: inv.src[0]?.subjectHisId ?? null,
  };
}

/** Each source's component along its normal (the third when `normals` is null): ns × T. */
function normalComponents(sol: Matrix, ns: number, normals: number[][] | null): Matrix {
  const T = sol.cols, R = sol.rows;
  const out = new Matrix(ns, T);
  for (let k = 0; k < ns; k++) {
    const n = normals ? normals[k] : null;
    for (let t = 0; t < T; t++) {
      const b = 3 * k + t * R;
      out.data[k + t * ns] = n ? n[0] * sol.data[b] + n[1] * sol.data[b + 1] + n[2] * sol.data[b + 2] : sol.data[b + 2];
    }
  }
  return out;
}

/**
 * `_assemble_kernel`'s rotation for pick_ori='normal': when every space is a surface and the
 * operator is still in x/y/z (loose = 1), the normal of each source is the last row of MNE's
 * `_normal_orth` of its (CPS) normal. Null when the operator is already surface-oriented (the
 * third column of each source is the normal).
 */
async function rotateToNormal(inv: InverseOperator): Promise<number[][] | null> {
  if (!inv.src.every((s) => s.type === 'surf')) return null;
  const nn = inv.sourceNn;
  for (let k = 0; k < inv.nsource; k++) {
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) {
      if (Math.abs(nn.get(3 * k + r, c) - (r === c ? 1 : 0)) > 1e-6 + 1e-5 * (r === c ? 1 : 0)) return null;
    }
  }
  const out: number[][] = [];
  for (const s of inv.src) {
    // apply_inverse's use_cps defaults to True.
    const normals = sourceNormals(s, true);
    const R = await normalOrthBasis(normals);
    for (let p = 0; p < s.nuse; p++) out.push([R.get(3 * p + 2, 0), R.get(3 * p + 2, 1), R.get(3 * p + 2, 2)]);
  }
  return out;
}

/** `_make_stc(vector=True)`: rotate each source's components back to x/y/z with its orientation rows. */
function toHeadXyz(sol: Matrix, inv: InverseOperator): Matrix {
  const ns = inv.nsource, T = sol.cols, nn = inv.sourceNn;
  const out = new Matrix(3 * ns, T);
  const R = sol.rows, per = R / ns;
  for (let k = 0; k < ns; k++) {
    for (let t = 0; t < T; t++) {
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let r = 0; r < per; r++) v += nn.get(k * per + r, c) * sol.data[k * per + r + t * R];
        out.data[3 * k + c + t * 3 * ns] = v;
      }
    }
  }
  return out;
}

function checkLambda(lambda2: number, method: InverseMethod): void {
  if (!(typeof lambda2 === 'number' && lambda2 >= 0 && Number.isFinite(lambda2))) throw new InputError('lambda2', 'a finite number ≥ 0', String(lambda2));
  if (method === 'sLORETA' && lambda2 === 0) throw new InputError('lambda2', "a positive value for 'sLORETA'", '0');
}

function checkOperator(inv: InverseOperator): void {
  if (!inv || !inv.eigenLeads || !inv.eigenFields || !inv.sing || !inv.noiseCov) throw new InputError('inverse', 'an InverseOperator from makeInverseOperator', inv === null ? 'null' : typeof inv);
  if (inv.eigenFields.cols !== inv.chNames.length || inv.eigenLeads.cols !== inv.eigenFields.rows || inv.sing.length !== inv.eigenFields.rows) {
    throw new InputError('inverse', 'consistent eigenFields (k × nchan), sing (k) and eigenLeads (ncol × k)', 'mismatched shapes');
  }
  if (inv.eigenLeads.rows !== inv.nsource * inv.nOrient || inv.sourceCov.length !== inv.eigenLeads.rows) {
    throw new InputError('inverse', `${inv.nsource * inv.nOrient} operator columns`, String(inv.eigenLeads.rows));
  }
}
