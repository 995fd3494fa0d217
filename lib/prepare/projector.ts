/**
 * The SSP projector of MNE 1.3's `_make_projector` (mne/io/proj.py): I − U·Uᵀ, with U the
 * orthonormalised projection vectors restricted to the given channels (bad channels zeroed),
 * each vector rescaled to unit norm, and directions with s/s[0] ≤ 1e-2 dropped as dependent.
 */
import { InputError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import type { Projection } from '../records/info.js';
import { thinSvd } from '../linalg/thinSvd.js';
import { nameIndex } from '../records/nameIndex.js';

export interface Projector {
  /** nChan × nChan, or null when no vector touches these channels (MNE returns the identity). */
  P: Matrix | null;
  /** Dimension of the projected-out subspace. */
  nproj: number;
}

export function makeProjector(projs: readonly Projection[], chNames: readonly string[], bads: readonly string[] = []): Projector {
  const nchan = chNames.length;
  if (nchan === 0) throw new InputError('chNames', 'at least one channel', 'none');
  const nvec = projs.reduce((s, p) => s + p.data.rows, 0);
  if (nvec === 0) return { P: null, nproj: 0 };
  const vecs = new Matrix(nchan, nvec);
  const bad = new Set(bads);
  let col = 0;
  let nonzero = 0;
  for (const p of projs) {
    const where = nameIndex(p.colNames);
    if (where.size !== p.colNames.length) throw new InputError(`projection "${p.desc}" colNames`, 'unique channel names', 'duplicates');
    for (let v = 0; v < p.data.rows; v++, col++) {
      const out = vecs.col(col);
      placeVector(out, chNames, where, bad, p.data, v);
      // Rescale for a better detection of small singular values (MNE's comment).
      if (toUnitNorm(out)) nonzero++;
    }
  }
  if (nonzero === 0) return { P: null, nproj: 0 };
  // One-sided Jacobi: every component of U to high relative accuracy. The projected covariance
  // spans ten orders of magnitude, and LAPACK's U (gesdd) moved the whitened gain by 2e-9.
  const { U, s } = thinSvd(vecs);
  let nproj = 0;
  while (nproj < s.length && s[nproj] / s[0] > 1e-2) nproj++;
  if (nproj >= nchan) throw new InputError('projs', `fewer than ${nchan} independent projection vectors`, `${nproj}`);
  const P = Matrix.identity(nchan);
  for (let r = 0; r < nproj; r++) subtractOuter(P, U.col(r));
  return { P, nproj };
}

// The element loops live in small functions of their own: inside makeProjector, V8 would
// recompile the whole function on every call (on-stack replacement), and pool workers call it
// once or twice per row.

/** v /= ‖v‖ in place; false (v unchanged) when v is zero. */
function toUnitNorm(v: Float64Array): boolean {
  let size = 0;
  for (let c = 0; c < v.length; c++) size += v[c] * v[c];
  size = Math.sqrt(size);
  if (!(size > 0)) return false;
  for (let c = 0; c < v.length; c++) v[c] /= size;
  return true;
}

/**
 * out[c] = the projection vector v's value for chNames[c] (0 for bad channels and channels it
 * lacks). A function of its own, not a callback in place: see lib/records/nameIndex.ts.
 */
function placeVector(out: Float64Array, chNames: readonly string[], where: ReadonlyMap<string, number>, bad: ReadonlySet<string>, data: Matrix, v: number): void {
  for (let c = 0; c < chNames.length; c++) {
    const name = chNames[c];
    const k = where.get(name);
    if (k !== undefined && !bad.has(name)) out[c] = data.get(v, k);
  }
}

/** P −= u·uᵀ in place (P square, n = u.length). */
function subtractOuter(P: Matrix, u: Float64Array): void {
  const n = u.length;
  for (let j = 0; j < n; j++) {
    if (u[j] === 0) continue;
    for (let i = 0; i < n; i++) P.data[i + j * n] -= u[i] * u[j];
  }
}
