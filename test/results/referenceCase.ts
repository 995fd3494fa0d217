/** Loads a reference case of ../shared/fixtures (README §4) into the records lib/results takes. */
import * as fs from 'node:fs';
import { gemm } from '../../lib/linalg/blas.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { readNpy, readNpyMatrix } from '../../lib/io/npy.js';
import type { PhysicalSolution } from '../../lib/results/physicalSolution.js';
import type { SourceGeometry } from '../../lib/results/sourceGeometry.js';
import { Evoked } from '../../lib/records/evoked.js';
import type { ChannelInfo, Info, Projection } from '../../lib/records/info.js';
import { fixture } from '../helpers/fixtures.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Json = any;

const cache = new Map<string, unknown>();
function memo<T>(key: string, make: () => T): T {
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key) as T;
}

export function readJson(...parts: string[]): Json {
  return memo(`json:${parts.join('/')}`, () => JSON.parse(fs.readFileSync(fixture(...parts), 'utf8')));
}

/** Every reference case that ran (status "ok"), by folder name. */
export function okCases(): string[] {
  return fs.readdirSync(fixture('reference')).sort().filter((n) => loadResult(n).status === 'ok');
}

/** An array descriptor `{file, shape, dtype}` of a result.json, as a Matrix. */
export function arrayOf(desc: Json): Matrix {
  return memo(`npy:${desc.file}`, () => readNpyMatrix(fixture(desc.file))).clone();
}

export function vectorOf(desc: Json): Float64Array {
  return readNpy(fixture(desc.file)).data;
}

const FORWARD_OF: Record<string, string> = {
  'inputs/surf-small-fwd.fif': 'surf-small',
  'inputs/surf-fwd.fif': 'surf',
  'inputs/vol-fwd.fif': 'vol',
};

/** Geometry of the case's forward; sourceNn = the prepared basis (surface-oriented CPS for loose < 1). */
export function geometryOf(result: Json): SourceGeometry {
  const readback = readJson('inputs', 'readback', 'readback.json');
  const fwd = FORWARD_OF[result.inputs.forward];
  const rb = readback[fwd];
  const loose = result.params.loose ?? 0.2;
  const nOrient = result.internals.n_orient;
  const volume = rb.src[0].type === 'vol';
  let sourceNn: Matrix;
  if (nOrient === 1 || loose < 1) {
    // Fixed (loose=0) uses the normals: every third row of the surface-oriented basis.
    const nnSurf = arrayOf(rb.source_nn_surf_ori_cps);
    sourceNn = nOrient === 1 ? nnSurf.pickRows(Array.from({ length: nnSurf.rows / 3 }, (_, i) => 3 * i + 2)) : nnSurf;
  } else {
    sourceNn = arrayOf(rb.source_nn);
  }
  return {
    sourceRr: arrayOf(rb.source_rr),
    sourceNn,
    surfOri: nOrient === 3 && loose < 1,
    vertices: rb.src.map((s: Json) => Int32Array.from(s.vertno)),
    kind: volume ? 'volume' : 'surface',
    subject: 'sample',
  };
}

export function loadResult(name: string): Json {
  return readJson('reference', name, 'result.json');
}

/** Rows k of an n × T nested list (result.json per-time arrays) as a Matrix. */
export function rowsOf(rows: number[][]): Matrix {
  return Matrix.fromRows(rows);
}

/** The Right visual evoked after baseline + crop (inputs/readback), as an Evoked with its projectors. */
export function rightVisualEvoked(): Evoked {
  return evokedOf('right_visual');
}

/** An evoked of inputs/readback after baseline + crop, as an Evoked with its projectors. */
export function evokedOf(which: 'right_visual' | 'left_auditory'): Evoked {
  const rb = readJson('inputs', 'readback', 'readback.json')[which];
  const names: string[] = rb.ch_names;
  const chs: ChannelInfo[] = names.map((name, k) => ({
    name, kind: 0, type: rb.ch_types[k], coilType: 0, unit: 0, unitMul: 0, cal: 1, range: 1,
    logNo: k + 1, scanNo: k + 1, loc: new Float64Array(12), coordFrame: 1,
  }));
  const projs: Projection[] = rb.projs.map((p: Json) => ({
    desc: p.desc, kind: p.kind, active: p.active, colNames: p.col_names, data: Matrix.fromRows(p.vectors),
  }));
  const info: Info = {
    chs, chNames: names, nchan: names.length, bads: rb.bads, projs, sfreq: rb.sfreq,
    highpass: 0, lowpass: 0, devHeadT: null, compGrade: 0,
  };
  const data = arrayOf(rb.baselined_cropped.data);
  // MNE's time axis: times = tmin + arange(n)/sfreq from the file's float32 first time.
  const timing = { originTime: rb.tmin, originSample: rb.first };
  const first = rb.first + rb.baselined_cropped.first_sample_index_in_file;
  return new Evoked(info, data, first, rb.nave, rb.comment, 'average', timing, [rb.tmin, 0]);
}

/** Which readback evoked a case inverted. */
export function evokedNameOf(r: Json): 'right_visual' | 'left_auditory' {
  return r.inputs.evoked.includes('left_auditory') ? 'left_auditory' : 'right_visual';
}

/**
 * The whitened data MNE used for GOF and explained variance (M_solver·Vh). It depends only on the
 * evoked, the covariance and the channels, so every case of one evoked shares it; the fully
 * dumped seed cases hold it.
 */
export function whitenedDataOf(r: Json): Matrix {
  const dir = evokedNameOf(r) === 'left_auditory' ? 'seed-la-wmin4-surf-small' : 'seed-rv-surf-small';
  return memo(`M:${dir}`, () => {
    const M = readNpyMatrix(fixture('reference', dir, 'M_solver.npy'));
    return gemm(M, readNpyMatrix(fixture('reference', dir, 'Vh.npy')));
  });
}

/** The case's source spaces with rr (head coordinates) known at the used vertices, as make_stc_from_dipoles reads them. */
export function srcOf(r: Json): Array<{ rr: Matrix; vertno: Int32Array; subjectHisId: string }> {
  const rb = readJson('inputs', 'readback', 'readback.json')[FORWARD_OF[r.inputs.forward]];
  const geometry = geometryOf(r);
  let offset = 0;
  return geometry.vertices.map((vertno, space) => {
    const rr = new Matrix(rb.src[space].np, 3);
    vertno.forEach((v, k) => { for (let d = 0; d < 3; d++) rr.set(v, d, geometry.sourceRr.get(offset + k, d)); });
    offset += vertno.length;
    return { rr, vertno, subjectHisId: 'sample' };
  });
}

/**
 * P·G_active from the whitened gain: the whitener's rows are orthogonal and span range(P)
 * (fixtures §3 step 2; it depends on the covariance and channels only, so the seed's serves every
 * case), hence Wᵀ·diag(1/‖w_r‖²)·gain_active = P·G_active, all the residual sees of the gain.
 */
export function projectedGain(gainActive: Matrix): Matrix {
  const W = readNpyMatrix(fixture('reference', 'seed-rv-surf-small', 'whitener.npy'));
  for (let r = 0; r < W.rows; r++) {
    let s = 0;
    for (let c = 0; c < W.cols; c++) s += W.get(r, c) ** 2;
    for (let c = 0; c < W.cols; c++) W.set(r, c, W.get(r, c) / s);
  }
  return gemm(W, gainActive, { transA: true });
}

/** The case's final solution in physical units with its gain columns (MNE's X_final, gain_active). */
export function physicalOf(r: Json): PhysicalSolution {
  return {
    X: arrayOf(r.final.X_final),
    gainActive: arrayOf(r.final.gain_active),
    activeColumns: Int32Array.from(r.final.active_columns),
    nOrient: r.internals.n_orient,
  };
}
