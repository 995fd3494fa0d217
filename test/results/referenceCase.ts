/** Loads a reference case of ../shared/fixtures (README §4) into the records lib/results takes. */
import * as fs from 'node:fs';
import { Matrix } from '../../lib/linalg/matrix.js';
import { readNpy, readNpyMatrix } from '../../lib/io/npy.js';
import type { SourceGeometry } from '../../lib/results/sourceGeometry.js';
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
