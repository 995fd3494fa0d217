/**
 * The content of a dipole file (.dip text or .bdip binary), as MNE's `Dipole`: one row per time.
 * Sparse-solver dipoles (one Dipole per source, each over all times) are written one after another,
 * so a file of several of them reads back as their rows concatenated.
 */
import { InputError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import type { Dipole } from '../records/dipole.js';

export interface DipoleTable {
  /** s, per row. */
  times: Float64Array;
  /** n × 3, m (head coordinates). */
  pos: Matrix;
  /** A·m (signed as written: Q of a .dip file; |Q| from a .bdip file). */
  amplitude: Float64Array;
  /** n × 3 unit vectors (0 where the amplitude is 0). */
  ori: Matrix;
  /** %. */
  gof: Float64Array;
  name: string | null;
  /** χ² and free parameters when the file has them (dipole fits; sparse solvers have none). */
  khi2: Float64Array | null;
  nfree: Float64Array | null;
}

/** Rows of the given dipoles, one dipole after the other (each dipole's own times in order). */
export function dipoleTable(dipoles: Dipole | readonly Dipole[], name: string | null = null): DipoleTable {
  const list: readonly Dipole[] = Array.isArray(dipoles) ? dipoles : [dipoles as Dipole];
  if (list.length === 0) throw new InputError('dipoles', 'at least one Dipole', 'an empty list');
  const n = list.reduce((s, d) => s + d.times.length, 0);
  const out: DipoleTable = {
    times: new Float64Array(n), pos: new Matrix(n, 3), amplitude: new Float64Array(n),
    ori: new Matrix(n, 3), gof: new Float64Array(n), name, khi2: null, nfree: null,
  };
  let row = 0;
  for (const [k, d] of list.entries()) {
    const nT = d.times.length;
    if (d.amplitude.length !== nT || d.gof.length !== nT || d.ori.rows !== nT) {
      throw new InputError(`dipoles[${k}]`, `amplitude, gof and ori with ${nT} rows (one per time)`, 'other lengths');
    }
    for (let t = 0; t < nT; t++, row++) {
      out.times[row] = d.times[t];
      out.amplitude[row] = d.amplitude[t];
      out.gof[row] = d.gof[t];
      for (let c = 0; c < 3; c++) {
        out.pos.set(row, c, d.pos[c]);
        out.ori.set(row, c, d.ori.get(t, c));
      }
    }
  }
  return out;
}
