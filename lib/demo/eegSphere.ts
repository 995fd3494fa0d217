/**
 * The EEG potential of a current dipole in a multi-shell sphere, with the Berg–Scherg
 * approximation MNE uses (mne/bem.py `make_sphere_model`, `_fwd_eeg_fit_berg_scherg`;
 * mne/forward/_compute_forward.py `_eeg_spherepot_coil`): the exact series of the layered sphere is
 * replaced by three dipoles in a homogeneous sphere, at radii μₖ·r0 with magnitudes λₖ.
 * The default layers are MNE's: relative radii 0.90, 0.92, 0.97, 1.0 and conductivities
 * 0.33, 1.0, 0.004, 0.33 S/m (brain, CSF, skull, scalp).
 */

export interface SphereLayer { relRad: number; sigma: number }
export interface BergParams { mu: number[]; lambda: number[]; rv: number }

export const DEFAULT_LAYERS: SphereLayer[] = [
  { relRad: 0.9, sigma: 0.33 }, { relRad: 0.92, sigma: 1.0 }, { relRad: 0.97, sigma: 0.004 }, { relRad: 1.0, sigma: 0.33 },
];

/** The weight of each term n = 1…nterms of the layered sphere's Legendre series (MNE's `_fwd_eeg_get_multi_sphere_model_coeffs`). */
export function multiSphereCoeffs(layers: SphereLayer[], nterms: number): Float64Array {
  const L = layers.length;
  const out = new Float64Array(nterms);
  if (L <= 1) return out.fill(1);
  const c1 = layers.slice(0, -1).map((l, k) => l.sigma / layers[k + 1].sigma);
  const c2 = c1.map((c) => c - 1);
  const cr = layers.slice(0, -1).map((l) => l.relRad);
  const crMult = cr.map((c) => c * c);
  for (let n = 1; n <= nterms; n++) {
    for (let k = 0; k < L - 1; k++) cr[k] *= crMult[k];
    let M = [1, 0, 0, 1]; // row-major 2×2
    const n1 = n + 1;
    for (let k = L - 2; k >= 0; k--) {
      const A = [n + n1 * c1[k], (n1 * c2[k]) / cr[k], n * c2[k] * cr[k], n1 + n * c1[k]];
      M = [A[0] * M[0] + A[1] * M[2], A[0] * M[1] + A[1] * M[3], A[2] * M[0] + A[3] * M[2], A[2] * M[1] + A[3] * M[3]];
    }
    out[n - 1] = (n * (2 * n + 1) ** (L - 1)) / (n * M[3] + n1 * M[2]);
  }
  return out;
}

interface Fit { fn: Float64Array; w: Float64Array; nterms: number }

/** Least squares of λ₁, λ₂ for given μ (MNE's `_compose_linear_fitting_data` with 3 terms): residual and λ. */
function linearFit(mu: number[], u: Fit): { resid: number; yy: number; lambda: number[] } {
  const m = u.nterms - 1;
  let s11 = 0, s12 = 0, s22 = 0, b1 = 0, b2 = 0, yy = 0;
  const rows: number[][] = [];
  for (let k = 1; k <= m; k++) {
    const w = u.w[k - 1];
    const m0 = mu[0] ** k;
    const y = w * (u.fn[k] - m0 * u.fn[0]);
    const a1 = w * (mu[1] ** k - m0), a2 = w * (mu[2] ** k - m0);
    rows.push([y, a1, a2]);
    s11 += a1 * a1; s12 += a1 * a2; s22 += a2 * a2; b1 += a1 * y; b2 += a2 * y; yy += y * y;
  }
  const det = s11 * s22 - s12 * s12;
  const l1 = det === 0 ? 0 : (s22 * b1 - s12 * b2) / det;
  const l2 = det === 0 ? 0 : (s11 * b2 - s12 * b1) / det;
  let resid = 0;
  for (const [y, a1, a2] of rows) resid += (y - a1 * l1 - a2 * l2) ** 2;
  return { resid, yy, lambda: [u.fn[0] - l1 - l2, l1, l2] };
}

/** Nelder–Mead minimisation (no derivatives), as a stand-in for MNE's COBYLA. */
function nelderMead(f: (x: number[]) => number, x0: number[], step: number, tol: number, maxIter: number): number[] {
  const d = x0.length;
  let pts = [x0, ...x0.map((_, i) => x0.map((v, j) => (i === j ? v + step : v)))].map((x) => ({ x, v: f(x) }));
  for (let it = 0; it < maxIter; it++) {
    pts.sort((a, b) => a.v - b.v);
    if (Math.abs(pts[d].v - pts[0].v) <= tol * (Math.abs(pts[0].v) + 1e-300) && it > 10) break;
    const c = x0.map((_, j) => pts.slice(0, d).reduce((s, p) => s + p.x[j], 0) / d);
    const along = (t: number) => c.map((cj, j) => cj + t * (pts[d].x[j] - cj));
    const r = { x: along(-1), v: 0 }; r.v = f(r.x);
    if (r.v < pts[0].v) {
      const e = { x: along(-2), v: 0 }; e.v = f(e.x);
      pts[d] = e.v < r.v ? e : r;
    } else if (r.v < pts[d - 1].v) {
      pts[d] = r;
    } else {
      const k = { x: along(r.v < pts[d].v ? -0.5 : 0.5), v: 0 }; k.v = f(k.x);
      if (k.v < Math.min(r.v, pts[d].v)) pts[d] = k;
      else pts = pts.map((p, i) => (i === 0 ? p : { x: p.x.map((v, j) => pts[0].x[j] + 0.5 * (v - pts[0].x[j])), v: 0 })).map((p, i) => (i === 0 ? p : { x: p.x, v: f(p.x) }));
    }
  }
  pts.sort((a, b) => a.v - b.v);
  return pts[0].x;
}

/** The Berg–Scherg parameters of a layered sphere (3 equivalent dipoles, 200 series terms, as MNE); λ scaled by 1/σ_scalp. */
export function fitBergScherg(layers: SphereLayer[] = DEFAULT_LAYERS, nterms = 200): BergParams {
  const sorted = [...layers].sort((a, b) => a.relRad - b.relRad);
  const R = sorted[sorted.length - 1].relRad;
  const norm = sorted.map((l) => ({ relRad: l.relRad / R, sigma: l.sigma }));
  const fn = multiSphereCoeffs(norm, nterms);
  const f = norm[0].relRad / norm[norm.length - 1].relRad;
  const w = new Float64Array(nterms);
  for (let k = 1; k <= nterms; k++) w[k - 1] = Math.sqrt(((2 * k + 1) * (3 * k + 1)) / k) * f ** (k - 1);
  w[nterms - 1] = 0;
  const u: Fit = { fn, w, nterms };
  const cost = (mu: number[]) => (Math.max(...mu.map(Math.abs)) >= 1 ? 100 : linearFit(mu, u).resid);
  // Several starts: the cost has symmetric minima (any permutation of μ); keep the best.
  let best: number[] = [0, 0, 0];
  for (const x0 of [[0, 0, 0], [0.9, 0.6, 0.3], [0.5, 0.8, 0.2]]) {
    let x = x0;
    for (let r = 0; r < 4; r++) x = nelderMead(cost, x, r === 0 ? 0.5 : 0.05, 1e-14, 4000);
    if (cost(x) < cost(best)) best = x;
  }
  const { resid, yy, lambda } = linearFit(best, u);
  const order = [0, 1, 2].sort((i, j) => best[j] - best[i]);
  const sigma = norm[norm.length - 1].sigma;
  return { mu: order.map((i) => best[i]), lambda: order.map((i) => lambda[i] / sigma), rv: resid / yy };
}

/**
 * Adds the EEG gain (V per A·m, reference at infinity) of the sources `rr` at the electrodes `el`
 * (both head coordinates, 3 per point) to `out` (column-major, leading dimension `ld`, rows from
 * `rowOffset`), for a sphere centred at `origin` with the given Berg parameters.
 */
export function sphereEegGain(rr: ArrayLike<number>, el: ArrayLike<number>, origin: ArrayLike<number>, berg: BergParams, out: Float64Array, ld: number, rowOffset: number, first = 0, count = rr.length / 3 - first): void {
  const ne = el.length / 3;
  const scale = 0.25 / Math.PI;
  for (let s = first; s < first + count; s++) {
    const x0 = rr[3 * s] - origin[0], y0 = rr[3 * s + 1] - origin[1], z0 = rr[3 * s + 2] - origin[2];
    const c0 = 3 * s * ld + rowOffset;
    for (let e = 0; e < ne; e++) {
      const px = el[3 * e] - origin[0], py = el[3 * e + 1] - origin[1], pz = el[3 * e + 2] - origin[2];
      const r2 = px * px + py * py + pz * pz;
      const r = Math.sqrt(r2);
      let vx = 0, vy = 0, vz = 0;
      for (let q = 0; q < berg.mu.length; q++) {
        const m = berg.mu[q];
        const dx = m * x0, dy = m * y0, dz = m * z0;
        const rd2 = dx * dx + dy * dy + dz * dz;
        const ax = px - dx, ay = py - dy, az = pz - dz;
        const a = Math.sqrt(ax * ax + ay * ay + az * az);
        const a3 = 2 / (a * a * a);
        const rrd = px * dx + py * dy + pz * dz;
        const F = a * (r * a + r2 - rrd);
        const c1 = a3 * (rrd - rd2) + 1 / a - 1 / r;
        const c2 = a3 + (a + r) / (r * F);
        const m1 = c1 - c2 * rrd, m2 = c2 * rd2;
        const k = berg.lambda[q] / rd2;
        vx += k * (m1 * dx + m2 * px);
        vy += k * (m1 * dy + m2 * py);
        vz += k * (m1 * dz + m2 * pz);
      }
      out[c0 + e] += scale * vx;
      out[c0 + ld + e] += scale * vy;
      out[c0 + 2 * ld + e] += scale * vz;
    }
  }
}
