/**
 * The magnetic field of a current dipole in a spherically symmetric conductor (Sarvas 1987), in
 * the form MNE computes it (mne/forward/_compute_forward.py `_do_sphere_field`): for a dipole at
 * r0 and a field point r (both relative to the sphere origin), with a = r − r0,
 *   F = a (r a + r² − r·r0),  B·e = μ0/4π · Q·[ (r0 × e)/F + (r0 × r) (g0 (r0·e) − gr (r·e))/F² ].
 * Radial dipoles (Q ∥ r0) give exactly zero field outside the sphere.
 */
import type { CoilPoints } from './helmet.js';

/** μ0 / 4π (T·m/A). */
export const MAG_FACTOR = 1e-7;

/**
 * Adds the MEG gain of the sources `rr` (head coordinates, 3 per source) to `out`, column-major with
 * leading dimension `ld`: row `rowOffset + chan`, columns 3s (x), 3s+1 (y), 3s+2 (z) of source s.
 */
export function sphereMegGain(rr: ArrayLike<number>, coils: CoilPoints, origin: ArrayLike<number>, out: Float64Array, ld: number, rowOffset: number, first = 0, count = rr.length / 3 - first): void {
  const n = coils.n;
  const px = new Float64Array(n), py = new Float64Array(n), pz = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    px[p] = coils.rmag[3 * p] - origin[0];
    py[p] = coils.rmag[3 * p + 1] - origin[1];
    pz[p] = coils.rmag[3 * p + 2] - origin[2];
  }
  const { cosmag: cm, w, chan } = coils;
  for (let s = first; s < first + count; s++) {
    const x = rr[3 * s] - origin[0], y = rr[3 * s + 1] - origin[1], z = rr[3 * s + 2] - origin[2];
    if (Math.sqrt(x * x + y * y + z * z) <= 1e-10) continue;
    const c0 = (3 * s) * ld + rowOffset, c1 = c0 + ld, c2 = c1 + ld;
    for (let p = 0; p < n; p++) {
      const rx = px[p], ry = py[p], rz = pz[p];
      const ax = rx - x, ay = ry - y, az = rz - z;
      const a = Math.sqrt(ax * ax + ay * ay + az * az);
      const r = Math.sqrt(rx * rx + ry * ry + rz * rz);
      const ar = r * r - (rx * x + ry * y + rz * z);
      const ar0 = ar / a;
      const F = a * (r * a + ar);
      const gr = (a * a) / r + ar0 + 2 * (a + r);
      const g0 = a + 2 * r + ar0;
      const ex = cm[3 * p], ey = cm[3 * p + 1], ez = cm[3 * p + 2];
      const re = rx * ex + ry * ey + rz * ez;
      const r0e = x * ex + y * ey + z * ez;
      const g = (g0 * r0e - gr * re) / (F * F);
      const wf = (MAG_FACTOR * w[p]) / F, wg = MAG_FACTOR * w[p] * g;
      const row = chan[p];
      // (r0 × e)/F + (r0 × r) g, component by component.
      out[c0 + row] += wf * (y * ez - z * ey) + wg * (y * rz - z * ry);
      out[c1 + row] += wf * (z * ex - x * ez) + wg * (z * rx - x * rz);
      out[c2 + row] += wf * (x * ey - y * ex) + wg * (x * ry - y * rx);
    }
  }
}
