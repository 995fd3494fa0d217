/**
 * The demo's cortex: two folded shells, one per hemisphere, around the head sphere's centre (radius
 * 62–70 mm, gyri and sulci about 2–3 cm apart), each a triangulated grid of which an evenly spread
 * subset of vertices is used as sources, as an MNE surface source space (FIFFV_MNE_SPACE_SURFACE,
 * MRI coordinates, an identity MRI→head transform). Normals are the area-weighted means of the
 * triangle normals, as MNE computes surface normals. Stored numbers are rounded to float32 first.
 */
import { Matrix } from '../linalg/matrix.js';
import type { SourceSpace } from '../records/sourceSpace.js';
import { FIFF } from '../io/fiff/constants.js';
import { HEAD_ORIGIN } from './helmet.js';
import { makeRng } from './rng.js';

const DEG = Math.PI / 180;
/** Angle from the anterior (+y) axis, and elevation from lateral towards the vertex, of the grid. */
const P_RANGE: [number, number] = [28 * DEG, 152 * DEG];
const Q_RANGE: [number, number] = [-32 * DEG, 84 * DEG];
const R_MEAN = 0.066;
const FOLD = 0.0042;

/** Folded radius at (p, q): two oblique sinusoids, so sulcal walls carry tangential normals. */
function radius(p: number, q: number, phase: [number, number]): number {
  const a = Math.sin(9.5 * p + 4.5 * q + phase[0]);
  const b = Math.sin(6.0 * p - 8.0 * q + phase[1]);
  return R_MEAN + FOLD * (0.6 * a + 0.4 * b);
}

/**
 * One hemisphere with at least `nuse` grid vertices (`hemi` 'lh': x < 0); `nuse` of them are used.
 * `phase` shifts the two folding patterns (radians), so different seeds give different cortices.
 */
export function makeHemisphere(hemi: 'lh' | 'rh', nuse: number, phase: [number, number] = [0, 1.3], density = 1.15): SourceSpace {
  if (!Number.isInteger(nuse) || nuse < 1) throw new RangeError(`Expected a positive number of sources per hemisphere but received ${nuse}`);
  const side = hemi === 'lh' ? -1 : 1;
  const target = Math.max(nuse * density, 4);
  const nP = Math.max(2, Math.round(Math.sqrt(target * 1.05)));
  const nQ = Math.max(2, Math.ceil(target / nP));
  const np = nP * nQ;
  const rr = new Float64Array(3 * np);
  for (let i = 0; i < nP; i++) {
    const p = P_RANGE[0] + ((P_RANGE[1] - P_RANGE[0]) * i) / (nP - 1);
    for (let j = 0; j < nQ; j++) {
      const q = Q_RANGE[0] + ((Q_RANGE[1] - Q_RANGE[0]) * j) / (nQ - 1);
      const r = radius(p, q, phase);
      const k = 3 * (i * nQ + j);
      rr[k] = Math.fround(HEAD_ORIGIN[0] + r * side * Math.sin(p) * Math.cos(q));
      rr[k + 1] = Math.fround(HEAD_ORIGIN[1] + r * Math.cos(p));
      rr[k + 2] = Math.fround(HEAD_ORIGIN[2] + r * Math.sin(p) * Math.sin(q));
    }
  }
  const ntri = 2 * (nP - 1) * (nQ - 1);
  const tris = new Int32Array(3 * ntri);
  let t = 0;
  for (let i = 0; i < nP - 1; i++) {
    for (let j = 0; j < nQ - 1; j++) {
      const v00 = i * nQ + j, v01 = v00 + 1, v10 = v00 + nQ, v11 = v10 + 1;
      // Outward winding: the grid's handedness flips with the side.
      if (side < 0) tris.set([v00, v10, v11, v00, v11, v01], t);
      else tris.set([v00, v11, v10, v00, v01, v11], t);
      t += 6;
    }
  }
  const nn = vertexNormals(rr, tris, np);
  orientOutward(rr, nn, tris);
  const inuse = new Int32Array(np);
  const vertno = new Int32Array(nuse);
  for (let k = 0; k < nuse; k++) {
    vertno[k] = Math.floor(((k + 0.5) * np) / nuse);
    inuse[vertno[k]] = 1;
  }
  return {
    type: 'surf', id: hemi === 'lh' ? FIFF.FIFFV_MNE_SURF_LEFT_HEMI : FIFF.FIFFV_MNE_SURF_RIGHT_HEMI, coordFrame: FIFF.FIFFV_COORD_MRI,
    np, rr: Matrix.fromRowMajor(np, 3, rr), nn: Matrix.fromRowMajor(np, 3, nn), inuse, nuse, vertno, tris, ntri,
    useTris: null, nuseTri: 0, nearest: null, nearestDist: null, pinfo: null, patchInds: null, shape: null, subjectHisId: null,
  };
}

/** Area-weighted vertex normals (unnormalised cross products summed), unit length, float32-rounded. */
function vertexNormals(rr: Float64Array, tris: Int32Array, np: number): Float64Array {
  const nn = new Float64Array(3 * np);
  for (let t = 0; t < tris.length; t += 3) {
    const [a, b, c] = [3 * tris[t], 3 * tris[t + 1], 3 * tris[t + 2]];
    const u = [rr[b] - rr[a], rr[b + 1] - rr[a + 1], rr[b + 2] - rr[a + 2]];
    const v = [rr[c] - rr[a], rr[c + 1] - rr[a + 1], rr[c + 2] - rr[a + 2]];
    const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
    for (const k of [a, b, c]) for (let d = 0; d < 3; d++) nn[k + d] += n[d];
  }
  for (let k = 0; k < np; k++) {
    const l = Math.hypot(nn[3 * k], nn[3 * k + 1], nn[3 * k + 2]);
    for (let d = 0; d < 3; d++) nn[3 * k + d] = Math.fround(nn[3 * k + d] / l);
  }
  return nn;
}

/** Safety net: if the normals point inwards on the whole, flip them and the winding. */
function orientOutward(rr: Float64Array, nn: Float64Array, tris: Int32Array): void {
  let s = 0;
  for (let k = 0; k < nn.length; k += 3) s += (rr[k] - HEAD_ORIGIN[0]) * nn[k] + (rr[k + 1] - HEAD_ORIGIN[1]) * nn[k + 1] + (rr[k + 2] - HEAD_ORIGIN[2]) * nn[k + 2];
  if (s >= 0) return;
  for (let k = 0; k < nn.length; k++) nn[k] = -nn[k];
  for (let t = 0; t < tris.length; t += 3) [tris[t + 1], tris[t + 2]] = [tris[t + 2], tris[t + 1]];
}

/** Both hemispheres: `total` sources split lh ⌈total/2⌉, rh ⌊total/2⌋; the seed sets the folding phases. */
export function makeCortex(total: number, seed = 42): SourceSpace[] {
  if (!Number.isInteger(total) || total < 2) throw new RangeError(`Expected at least 2 sources but received ${total}`);
  const rng = makeRng(seed ^ 0x5eed);
  const phase = (): [number, number] => [2 * Math.PI * rng.uniform(), 2 * Math.PI * rng.uniform()];
  return [makeHemisphere('lh', Math.ceil(total / 2), phase()), makeHemisphere('rh', Math.floor(total / 2), phase())];
}

/** The used vertices' positions and normals, lh then rh, 3 numbers per source. */
export function usedPoints(src: SourceSpace[]): { rr: Float64Array; nn: Float64Array } {
  const n = src.reduce((k, s) => k + s.nuse, 0);
  const rr = new Float64Array(3 * n), nn = new Float64Array(3 * n);
  let i = 0;
  for (const s of src) {
    for (const v of s.vertno) {
      for (let d = 0; d < 3; d++) { rr[3 * i + d] = s.rr.get(v, d); nn[3 * i + d] = s.nn.get(v, d); }
      i++;
    }
  }
  return { rr, nn };
}
