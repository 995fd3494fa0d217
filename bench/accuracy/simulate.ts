/**
 * One simulated recording of the study: 1–4 dipoles at random sources of a head (at least 20 mm
 * apart, so "within 10 mm" names one true source), orientations along the cortical normal tilted
 * up to ~19° (surfaces; loose orientation) or uniform (volume), Gabor time courses with random
 * latency, frequency and width, and per-source SNR (whitened RMS over channels at the source's
 * peak, against the noise of the average) drawn log-uniformly; the noise is the head's covariance
 * divided by nave. Everything comes from one seed (lib/demo/rng.ts), recorded with the case.
 */
import { Matrix } from '../../lib/linalg/matrix.js';
import { makeRng, type Rng } from '../../lib/demo/rng.js';
import { Evoked } from '../../lib/records/evoked.js';
import type { Head, HeadName } from './heads.js';

export interface TrueSource {
  sourceIndex: number;
  /** m, head coordinates. */
  pos: [number, number, number];
  ori: [number, number, number];
  depthMm: number;
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

const unit = (v: number[]) => { const l = Math.hypot(...v); return v.map((x) => x / l) as [number, number, number]; };

function drawOrientation(head: Head, k: number, rng: Rng): [number, number, number] {
  const g = [rng.normal(), rng.normal(), rng.normal()];
  if (head.normals === null) return unit(g);
  const n = [0, 1, 2].map((d) => head.normals!.get(k, d));
  const dot = g[0] * n[0] + g[1] * n[1] + g[2] * n[2];
  // A tangential part of up to 0.35 × the normal: tilts of up to atan(0.35) ≈ 19°.
  const t = unit(g.map((v, d) => v - dot * n[d]));
  const tilt = 0.35 * rng.uniform();
  return unit(n.map((v, d) => v + tilt * t[d]));
}

export function drawSourceIndices(head: Head, count: number, rng: Rng): number[] {
  const rr = head.forward.sourceRr, picked: number[] = [];
  while (picked.length < count) {
    const k = Math.floor(rng.uniform() * head.forward.nsource);
    const far = picked.every((j) => Math.hypot(rr.get(j, 0) - rr.get(k, 0), rr.get(j, 1) - rr.get(k, 1), rr.get(j, 2) - rr.get(k, 2)) >= MIN_SEPARATION);
    if (far) picked.push(k);
  }
  return picked;
}

/** The case's sensor topography of a source (info channel order): G_k · ori. */
function topography(head: Head, k: number, ori: number[]): Float64Array {
  const G = head.forward.sol, o = head.forward.sourceOri === 2 ? 3 : 1;
  const rows = head.info.chNames.map((n) => head.forward.chNames.indexOf(n));
  return Float64Array.from(rows, (r) => (o === 1 ? G.get(r, k) : G.get(r, 3 * k) * ori[0] + G.get(r, 3 * k + 1) * ori[1] + G.get(r, 3 * k + 2) * ori[2]));
}

/** RMS over channels of a unit-amplitude topography in units of each channel's noise SD of the average (the demo generator's SNR; bad channels left out). */
function whitenedRms(topo: Float64Array, nave: number, noiseVar: Float64Array): number {
  let s = 0, n = 0;
  for (let i = 0; i < topo.length; i++) if (noiseVar[i] > 0) { s += (topo[i] * topo[i] * nave) / noiseVar[i]; n++; }
  return Math.sqrt(s / n);
}

/** A source at head source k with a random orientation, time course and SNR (amplitude set from the SNR at this nave). */
export function drawSource(head: Head, k: number, nave: number, rng: Rng, ori: [number, number, number] = drawOrientation(head, k, rng)): TrueSource {
  const latency = 0.05 + 0.2 * rng.uniform(), freq = 4 + 8 * rng.uniform(), width = 0.01 + 0.02 * rng.uniform();
  const snr = SNR_RANGE[0] * (SNR_RANGE[1] / SNR_RANGE[0]) ** rng.uniform();
  const amplitude = snr / whitenedRms(topography(head, k, ori), nave, noiseVariance(head));
  const pos = [0, 1, 2].map((d) => head.forward.sourceRr.get(k, d)) as [number, number, number];
  return { sourceIndex: k, pos, ori, depthMm: head.depthMm[k], latency, freq, width, snr, amplitude };
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
    const topo = topography(head, s.sourceIndex, s.ori);
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
  const sources = drawSourceIndices(head, count, rng).map((k) => drawSource(head, k, nave, rng));
  return { spec: { id, seed, head: head.name, nave, sources }, evoked: synthesize(head, sources, nave, rng, `case ${id}`) };
}
