/** Loads a reference case of ../shared/fixtures (README §4) into the records lib/results takes. */
import * as fs from 'node:fs';
import { Matrix } from '../../lib/linalg/matrix.js';
import { readNpy, readNpyMatrix } from '../../lib/io/npy.js';
import type { SourceGeometry } from '../../lib/results/sourceGeometry.js';
import { Evoked } from '../../lib/records/evoked.js';
import type { ChannelInfo, Info, Projection } from '../../lib/records/info.js';
import { fixture } from '../helpers/fixtures.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Json = any;

export function readJson(...parts: string[]): Json {
  return JSON.parse(fs.readFileSync(fixture(...parts), 'utf8'));
}

/** An array descriptor `{file, shape, dtype}` of a result.json, as a Matrix. */
export function arrayOf(desc: Json): Matrix {
  return readNpyMatrix(fixture(desc.file));
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
  const rb = readJson('inputs', 'readback', 'readback.json').right_visual;
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
  const data = readNpyMatrix(fixture(rb.baselined_cropped.data.file));
  return new Evoked(info, data, rb.first + rb.baselined_cropped.first_sample_index_in_file, rb.nave, rb.comment);
}
