/**
 * One simulated recording of the study: 1–4 dipoles at random sites of a head, off the grid the
 * inverse searches (bench/accuracy/truthSites.ts) and at least 20 mm apart (so "within 10 mm"
 * names one true source), orientations along the cortical normal tilted up to ~19° (surfaces;
 * loose orientation) or uniform (volume), Gabor time courses with random latency, frequency and
 * width, and per-source SNR (whitened RMS over channels at the source's peak, against the noise
 * of the average) drawn log-uniformly; the noise is the head's covariance divided by nave.
 * Everything comes from one seed (lib/demo/rng.ts), recorded with the case.
 */
import { Matrix } from '../../lib/linalg/matrix.js';
import { makeRng, type Rng } from '../../lib/demo/rng.js';
import { Evoked } from '../../lib/records/evoked.js';
import type { Head, HeadName } from './heads.js';
import type { TruthSite, Vec3 } from './truthSites.js';

export interface TrueSource {
  /** m, head coordinates. */
  pos: Vec3;
  ori: Vec3;
  depthMm: number;
  /** Fixtures: the held-out source of the full fixture forward it sits on (absent on the sphere: a continuous point). */
  fwdSource?: number;
  /** mm from the nearest source of the inverse's grid: what even a perfect estimate on that grid is off by. */
  gridMm: number;
  /** s, Hz, s */
  latency: number;
  freq: number;
  width: number;
  snr: number;
  /** Peak amplitude, A·m. */
  amplitude: number;
}

export interface CaseSpec {
  id: number;
  seed: number;
  head: HeadName;
  nave: number;
  sources: TrueSource[];
}

export interface SimulatedCase { spec: CaseSpec; evoked: Evoked }

export const NAVES = [15, 30, 60, 120] as const;
export const SNR_RANGE: [number, number] = [1, 12];
const MIN_SEPARATION = 0.02;
/** 0…0.3 s: the seed example's crop, simulated directly (no baseline period). */
const DURATION = 0.3;

export function gabor(t: number, s: Pick<TrueSource, 'latency' | 'freq' | 'width'>): number {
  const d = t - s.latency;
  return Math.exp(-0.5 * (d / s.width) ** 2) * Math.cos(2 * Math.PI * s.freq * d);
}

const unit = (v: number[]) => { const l = Math.hypot(...v); return v.map((x) => x / l) as Vec3; };
const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

function drawOrientation(normal: Vec3 | null, rng: Rng): Vec3 {
  const g = [rng.normal(), rng.normal(), rng.normal()];
  if (normal === null) return unit(g);
  const n = normal;
  const dot = g[0] * n[0] + g[1] * n[1] + g[2] * n[2];
  // A tangential part of up to 0.35 × the normal: tilts of up to atan(0.35) ≈ 19°.
  const t = unit(g.map((v, d) => v - dot * n[d]));
  const tilt = 0.35 * rng.uniform();
  return unit(n.map((v, d) => v + tilt * t[d]));
}

/** `count` sites of the head's truth space, pairwise at least MIN_SEPARATION apart. */
export function drawSites(head: Head, count: number, rng: Rng): TruthSite[] {
  const picked: TruthSite[] = [];
  while (picked.length < count) {
    const site = head.truth.draw(rng);
    if (picked.every((p) => dist(p.pos, site.pos) >= MIN_SEPARATION)) picked.push(site);
  }
  return picked;
}

/** The sensor topography of a true source (info channel order): its site's field · ori. */
function topography(head: Head, at: Pick<TrueSource, 'pos' | 'fwdSource'>, ori: readonly number[]): Float64Array {
  const F = head.truth.field(at);
  return Float64Array.from({ length: F.rows }, (_, i) => F.get(i, 0) * ori[0] + F.get(i, 1) * ori[1] + F.get(i, 2) * ori[2]);
}

/** mm from `pos` to the nearest source of the inverse's forward. */
function gridDistanceMm(head: Head, pos: Vec3): number {
  const rr = head.forward.sourceRr;
  let best = Infinity;
  for (let k = 0; k < rr.rows; k++) best = Math.min(best, Math.hypot(rr.get(k, 0) - pos[0], rr.get(k, 1) - pos[1], rr.get(k, 2) - pos[2]));
  return best * 1000;
}

/** RMS over channels of a unit-amplitude topography in units of each channel's noise SD of the average (the demo generator's SNR; bad channels left out). */
function whitenedRms(topo: Float64Array, nave: number, noiseVar: Float64Array): number {
  let s = 0, n = 0;
  for (let i = 0; i < topo.length; i++) if (noiseVar[i] > 0) { s += (topo[i] * topo[i] * nave) / noiseVar[i]; n++; }
  return Math.sqrt(s / n);
}

/** A source at `site` with a random orientation, time course and SNR (amplitude set from the SNR at this nave). */
export function drawSource(head: Head, site: TruthSite, nave: number, rng: Rng, ori: Vec3 = drawOrientation(site.normal, rng)): TrueSource {
  const latency = 0.05 + 0.2 * rng.uniform(), freq = 4 + 8 * rng.uniform(), width = 0.01 + 0.02 * rng.uniform();
  const snr = SNR_RANGE[0] * (SNR_RANGE[1] / SNR_RANGE[0]) ** rng.uniform();
  const where = { pos: site.pos, depthMm: site.depthMm, ...(site.fwdSource === undefined ? {} : { fwdSource: site.fwdSource }) };
  const amplitude = snr / whitenedRms(topography(head, where, ori), nave, noiseVariance(head));
  return { ...where, gridMm: gridDistanceMm(head, site.pos), ori, latency, freq, width, snr, amplitude };
}

/** Per channel of the head's info: the noise variance of one trial (0 for bad channels). */
function noiseVariance(head: Head): Float64Array {
  const n = head.info.nchan;
  return Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += head.noiseRoot.get(i, j) ** 2;
    return head.info.bads.includes(head.info.chNames[i]) ? 0 : s;
  });
}

/** The evoked of `sources` plus noise of the average of nave trials (0…0.3 s at the head's sfreq). */
export function synthesize(head: Head, sources: TrueSource[], nave: number, rng: Rng, comment: string): Evoked {
  const info = head.info, nch = info.nchan;
  const nTimes = Math.round(DURATION * info.sfreq) + 1;
  const data = new Matrix(nch, nTimes);
  for (const s of sources) {
    const topo = topography(head, s, s.ori);
    for (let t = 0; t < nTimes; t++) {
      const a = s.amplitude * gabor(t / info.sfreq, s);
      for (let i = 0; i < nch; i++) data.data[i + t * nch] += a * topo[i];
    }
  }
  const z = new Float64Array(nch);
  for (let t = 0; t < nTimes; t++) {
    for (let j = 0; j < nch; j++) z[j] = rng.normal() / Math.sqrt(nave);
    for (let j = 0; j < nch; j++) for (let i = 0; i < nch; i++) data.data[i + t * nch] += head.noiseRoot.data[i + j * nch] * z[j];
  }
  return new Evoked(info, data, 0, nave, comment);
}

export function drawNave(rng: Rng): number {
  return NAVES[Math.floor(rng.uniform() * NAVES.length)];
}

export function simulateCase(head: Head, id: number, seed: number): SimulatedCase {
  const rng = makeRng(seed);
  const count = 1 + Math.floor(rng.uniform() * 4);
  const nave = drawNave(rng);
  const sources = drawSites(head, count, rng).map((site) => drawSource(head, site, nave, rng));
  return { spec: { id, seed, head: head.name, nave, sources }, evoked: synthesize(head, sources, nave, rng, `case ${id}`) };
}
