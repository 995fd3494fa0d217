/**
 * Step 8 of MNE's mixed_norm: one Dipole per active source (MNE 1.3 `_make_dipoles_sparse`).
 * Loose/free: the source's columns are rotated from the prepared basis back to head x, y, z
 * (N_iᵀ X_i), amplitude = norm per time, ori = unit vector (0 where the amplitude is 0).
 * Fixed: amplitude = X_i, signed, and ori = the column's normal. GOF: `_split_gof`, summed over
 * the source's columns.
 */
import { InputError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import type { Dipole } from '../records/dipole.js';
import type { PhysicalSolution } from './physicalSolution.js';
import { locateSource, type SourceGeometry } from './sourceGeometry.js';
import { splitGof } from './splitGof.js';

/** Times of a sparse result as MNE builds them: tmin + tstep·k (not (first + k)/sfreq). */
export function sparseTimes(tmin: number, tstep: number, nTimes: number): Float64Array {
  const t = new Float64Array(nTimes);
  for (let k = 0; k < nTimes; k++) t[k] = tmin + tstep * k;
  return t;
}

/**
 * solution: physical units (makePhysicalSolution); M: nSensors × T whitened data (the PCA-reconstructed
 * M·Vh in MNE); times: sparseTimes(evoked tmin, 1/sfreq, T). Dipoles come in source order.
 */
export function makeDipoles(solution: PhysicalSolution, M: Matrix, geometry: SourceGeometry, times: Float64Array): Dipole[] {
  const { X, gainActive, activeColumns, nOrient } = solution;
  if (M.cols !== times.length || X.cols !== times.length) {
    throw new InputError('M / X', `${times.length} columns (one per time)`, `${M.cols} / ${X.cols}`);
  }
  if (gainActive.rows !== M.rows) throw new InputError('solution.gainActive', `${M.rows} rows (as M)`, `${gainActive.rows}`);
  const gof = splitGof(M, X, gainActive);
  const dipoles: Dipole[] = [];
  for (let k = 0; k * nOrient < activeColumns.length; k++) {
    const source = Math.floor(activeColumns[k * nOrient] / nOrient);
    const { space, vertno } = locateSource(geometry, source);
    const { amplitude, ori } = nOrient === 1
      ? fixedMoment(X, k, geometry.sourceNn, source)
      : rotatedMoment(X, k, geometry, source);
    const g = new Float64Array(times.length);
    for (let t = 0; t < times.length; t++) {
      for (let c = 0; c < nOrient; c++) g[t] += gof.get(k * nOrient + c, t);
    }
    dipoles.push({
      times: times.slice(),
      pos: Float64Array.from(geometry.sourceRr.row(source)),
      ori,
      amplitude,
      gof: g,
      sourceIndex: source,
      hemi: geometry.kind === 'volume' ? 'vol' : space === 0 ? 'lh' : 'rh',
      vertno,
    });
  }
  return dipoles;
}

function fixedMoment(X: Matrix, k: number, sourceNn: Matrix, source: number): { amplitude: Float64Array; ori: Matrix } {
  const nT = X.cols;
  const ori = new Matrix(nT, 3);
  for (let c = 0; c < 3; c++) ori.col(c).fill(sourceNn.get(source, c));
  return { amplitude: X.row(k), ori };
}

function rotatedMoment(X: Matrix, k: number, geometry: SourceGeometry, source: number): { amplitude: Float64Array; ori: Matrix } {
  const nT = X.cols;
  const amplitude = new Float64Array(nT);
  const ori = new Matrix(nT, 3);
  const xyz = new Float64Array(3);
  for (let t = 0; t < nT; t++) {
    for (let d = 0; d < 3; d++) {
      let v = 0;
      // MNE: X_ = source_nn[3i:3i+3].T @ X_ when surf_ori; otherwise the columns already are x, y, z.
      for (let c = 0; c < 3; c++) {
        const x = X.get(3 * k + c, t);
        v += geometry.surfOri ? geometry.sourceNn.get(3 * source + c, d) * x : c === d ? x : 0;
      }
      xyz[d] = v;
    }
    const a = Math.sqrt(xyz[0] * xyz[0] + xyz[1] * xyz[1] + xyz[2] * xyz[2]);
    amplitude[t] = a;
    if (a > 0) for (let d = 0; d < 3; d++) ori.set(t, d, xyz[d] / a);
  }
  return { amplitude, ori };
}
