/**
 * MNE 1.3's `make_stc_from_dipoles`: a surface SourceEstimate with one row per dipole (its
 * amplitude), the vertex found by exact equality of the dipole position with the source space's
 * used positions (lh first, then rh).
 */
import { InputError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import type { Dipole } from '../records/dipole.js';
import type { SourceEstimate } from '../records/sourceEstimate.js';
import type { SourceSpace } from '../records/sourceSpace.js';

/** The source-space fields used: rr must be in the dipoles' frame (head), as in a read forward's src. */
export type DipoleSourceSpace = Pick<SourceSpace, 'rr' | 'vertno' | 'subjectHisId'>;

/**
 * As MNE, rows stay in dipole order while vertices are listed lh then rh, each in dipole order:
 * the two agree for dipoles in source order (what makeDipoles returns), as in MNE.
 */
export function makeStcFromDipoles(dipoles: readonly Dipole[], src: readonly DipoleSourceSpace[]): SourceEstimate {
  if (dipoles.length === 0) throw new InputError('dipoles', 'at least one Dipole', 'an empty list');
  if (src.length !== 2) throw new InputError('src', 'a surface source space (lh, rh)', `${src.length} spaces`);
  const times = dipoles[0].times;
  if (times.length < 2) throw new InputError('dipoles[0].times', 'at least 2 times (tstep = times[1] - times[0])', `${times.length}`);
  const data = new Matrix(dipoles.length, times.length);
  const vertices: number[][] = [[], []];
  dipoles.forEach((dip, i) => {
    if (dip.amplitude.length !== times.length) throw new InputError(`dipoles[${i}].amplitude`, `${times.length} values`, `${dip.amplitude.length}`);
    for (let t = 0; t < times.length; t++) data.set(i, t, dip.amplitude[t]);
    const { space, vertno } = findVertex(dip.pos, src, i);
    vertices[space].push(vertno);
  });
  return {
    kind: 'surface',
    vector: false,
    vertices: vertices.map((v) => Int32Array.from(v)),
    data,
    tmin: times[0],
    // MNE takes the difference of the first two times, not 1/sfreq.
    tstep: times[1] - times[0],
    subject: src[0].subjectHisId,
  };
}

function findVertex(pos: Float64Array, src: readonly DipoleSourceSpace[], i: number): { space: number; vertno: number } {
  for (let space = 0; space < src.length; space++) {
    const { rr, vertno } = src[space];
    for (const v of vertno) {
      if (rr.get(v, 0) === pos[0] && rr.get(v, 1) === pos[1] && rr.get(v, 2) === pos[2]) return { space, vertno: v };
    }
  }
  throw new InputError(`dipoles[${i}].pos`, 'a position of a used source-space vertex', `[${Array.from(pos).join(', ')}]`);
}
