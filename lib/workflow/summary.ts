/**
 * result.json: everything a user (or a batch run) needs to trust and reuse a solve: the dipoles,
 * the solver's diagnostics, the inputs with their SHA-256, the options, versions and timings.
 */
import * as path from 'node:path';
import type { Forward } from '../records/forward.js';
import type { MixedNormResult } from '../sparse/mixedNorm.js';
import { blasSelection, mallocPolicy } from '../native.js';
import { normalizeMixedNormOptions } from '../sparse/mixedNormOptions.js';
import { version } from '../version.js';
import type { MorphSummary } from './extraOutputs.js';
import type { SolveJob } from './solveFiles.js';

export interface InputRecord { path: string; sha256: string }

export interface DipoleSummary {
  sourceIndex: number;
  hemi: 'lh' | 'rh' | 'vol';
  vertno: number;
  /** m, head coordinates. */
  pos: number[];
  /** Unit orientation per time (head coordinates). */
  ori: number[][];
  /** A·m per time. */
  amplitude: number[];
  /** % per time. */
  gof: number[];
  peakAmplitude: number;
  peakTime: number;
}

export interface SolveSummary {
  mxneVersion: string;
  times: number[];
  dipoles: DipoleSummary[];
  explainedVariance: number;
  alphaMax: number;
  alpha: number;
  activeSet: number[][];
  dualGap: number;
  converged: boolean;
  nIterations: number;
  /** alpha = 'sure': the seed of the perturbation and the risk at each alpha of the grid (% of alpha_max). */
  sure: { randomState: number | null; path: { alpha: number; sure: number }[] } | null;
  warnings: string[];
  inputs: { fwd: InputRecord; evoked: InputRecord; cov: InputRecord };
  options: Omit<SolveJob, 'fwd' | 'evoked' | 'cov' | 'out' | 'inputNames' | 'mixedNorm'> & { mixedNorm: Omit<SolveJob['mixedNorm'], 'signal' | 'onProgress'> };
  versions: { mxne: string; node: string; openblasThreads: number | null; openblas: string; blasKernels: { corename: string; reason: string; warning: string | null };
    /** Whether mxne made the C allocator keep large blocks (lib/memoryPolicy.ts). */
    mallocReuse: { applied: boolean; reason: string } };
  timings: Record<string, number>;
  /** With a morph (`morphTo`): each dipole's vertex and position on the target subject. */
  morph?: MorphSummary;
}

export interface SummaryInput {
  job: SolveJob;
  result: MixedNormResult;
  forward: Forward;
  inputs: SolveSummary['inputs'];
  timings: Record<string, number>;
  /** Said about the inputs before solving (e.g. a crop beyond the data), shown with the warnings. */
  notes?: string[];
  morph?: MorphSummary | null;
}

function surePath(job: SolveJob, result: MixedNormResult): SolveSummary['sure'] {
  const alpha = normalizeMixedNormOptions(job.mixedNorm).alpha;
  const risk = result.diagnostics.surePath;
  if (alpha.kind !== 'sure' || !risk) return null;
  return { randomState: alpha.randomState, path: Array.from(alpha.grid, (a, j) => ({ alpha: a, sure: risk[j] })) };
}

export function buildSummary({ job, result, inputs, timings, notes = [], morph = null }: SummaryInput): SolveSummary {
  const { fwd: _f, evoked: _e, cov: _c, out: _o, inputNames: _n, ...rest } = job;
  // The run's controls are not options of the result (and a signal or a callback is not data).
  const { signal: _s, onProgress: _p, ...mixedNorm } = job.mixedNorm;
  const options = { ...rest, mixedNorm };
  const d = result.diagnostics;
  return {
    mxneVersion: version(),
    times: Array.from(result.times),
    dipoles: result.dipoles.map((dip) => {
      let peak = 0;
      for (let t = 1; t < dip.amplitude.length; t++) if (Math.abs(dip.amplitude[t]) > Math.abs(dip.amplitude[peak])) peak = t;
      return {
        sourceIndex: dip.sourceIndex, hemi: dip.hemi, vertno: dip.vertno, pos: Array.from(dip.pos),
        ori: dip.ori.toRows(), amplitude: Array.from(dip.amplitude), gof: Array.from(dip.gof),
        peakAmplitude: dip.amplitude[peak], peakTime: dip.times[peak],
      };
    }),
    explainedVariance: result.explainedVariance,
    alphaMax: d.alphaMax,
    alpha: d.alpha,
    activeSet: d.activeSetHistory.map((a) => Array.from(a)),
    dualGap: d.dualGap,
    converged: d.converged,
    nIterations: d.nIterations,
    sure: surePath(job, result),
    warnings: [...notes, ...result.warnings.map((w) => w.message)],
    inputs,
    options,
    versions: {
      mxne: version(), node: process.version, openblasThreads: d.blasThreads, openblas: blasSelection.config,
      blasKernels: { corename: blasSelection.corename, reason: blasSelection.choice.reason, warning: blasSelection.warning },
      mallocReuse: { applied: mallocPolicy.applied, reason: mallocPolicy.reason },
    },
    timings: { ...timings, ...d.timings },
    ...(morph ? { morph } : {}),
  };
}

/** What `--json` prints: enough to act on; the whole record is result.json in `out`. */
export function jsonSummary(s: SolveSummary, out: string) {
  return {
    nDipoles: s.dipoles.length,
    dipoles: s.dipoles.map((d) => ({ sourceIndex: d.sourceIndex, hemi: d.hemi, vertno: d.vertno, pos: d.pos, peakAmplitude: d.peakAmplitude, peakTime: d.peakTime })),
    explainedVariance: s.explainedVariance, alpha: s.alpha, alphaMax: s.alphaMax, converged: s.converged,
    ...(s.sure ? { randomState: s.sure.randomState } : {}),
    warnings: s.warnings,
    out: path.resolve(out),
    resultJson: path.resolve(out, 'result.json'),
  };
}

/** The human summary the CLI prints (rounded: the full numbers are in result.json). */
export function summaryLines(s: SolveSummary): string[] {
  const how = s.sure ? ` (chosen by SURE, random state ${s.sure.randomState})` : '';
  const lines = [`${s.dipoles.length} dipole(s), explained variance ${s.explainedVariance.toFixed(1)} %, ` +
    `alpha ${s.alpha.toFixed(1)} %${how} of alpha_max ${s.alphaMax.toPrecision(4)}, ${s.converged ? 'converged' : 'NOT converged'}`];
  for (const d of s.dipoles) {
    lines.push(`  ${d.hemi} vertex ${d.vertno} (source ${d.sourceIndex}): peak ${(d.peakAmplitude * 1e9).toFixed(2)} nAm at ${(d.peakTime * 1000).toFixed(1)} ms`);
  }
  for (const w of s.warnings) lines.push(`  warning: ${w}`);
  return lines;
}
