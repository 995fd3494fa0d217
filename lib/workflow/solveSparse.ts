/**
 * `mxne solve --solver tfmxne|gammamap`: MNE's two other sparse solvers on files, with the same
 * outputs as the seed workflow (result.json, dipole files, stc, residual-ave.fif, and report.html and
 * the morph when asked) through the same summary and writers. result.json gains `solver` and `solverDiagnostics`; `alphaMax` is null for
 * Gamma-MAP (its alpha is a noise variance, not a share of alpha_max).
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import { InputError } from '../errors.js';
import { getNumThreads } from '../native.js';
import { gammaMap, type GammaMapOptions, type GammaMapResult } from '../sparse/gammaMap/gammaMap.js';
import type { MixedNormResult } from '../sparse/mixedNorm.js';
import { tfMixedNorm, type TfMixedNormOptions, type TfMixedNormResult } from '../sparse/tfmxne/tfMixedNorm.js';
import { checkExtras, extraOutputs, morphRun } from './extraOutputs.js';
import { readSeedInputs, type SolveJob, type StageListener } from './solveFiles.js';
import { sha256File } from './sha256File.js';
import { buildSummary, type SolveSummary } from './summary.js';
import { writeOutputs } from './writeOutputs.js';

export type SparseSolverChoice =
  | { solver: 'tfmxne'; tfMixedNorm: TfMixedNormOptions }
  | { solver: 'gammamap'; gammaMap: GammaMapOptions & { alpha: number } };

export type SparseSolveJob = Omit<SolveJob, 'mixedNorm' | 'weights'> & SparseSolverChoice;

export interface SparseSolveSummary extends SolveSummary {
  solver: 'tfmxne' | 'gammamap';
  solverDiagnostics: Record<string, unknown>;
}

/** The solver's result in the record the seed's summary and writers take. */
function asMixedNormResult(r: TfMixedNormResult | GammaMapResult, choice: SparseSolverChoice, seconds: number): MixedNormResult {
  const sources = Int32Array.from(r.dipoles.map((d) => d.sourceIndex));
  const tf = choice.solver === 'tfmxne' ? (r as TfMixedNormResult).diagnostics : null;
  const gm = choice.solver === 'gammamap' ? (r as GammaMapResult).diagnostics : null;
  return {
    dipoles: r.dipoles, stc: r.stc, residual: r.residual, times: r.times, explainedVariance: r.explainedVariance,
    conditions: [{ dipoles: r.dipoles, stc: r.stc, residual: r.residual, times: r.times }],
    diagnostics: {
      alphaMax: tf?.alphaMax ?? NaN,
      alpha: choice.solver === 'tfmxne' ? choice.tfMixedNorm.alpha : choice.gammaMap.alpha,
      tolScaled: tf?.tolScaled ?? NaN, nPcaComponents: r.times.length, activeSetHistory: [sources],
      objective: tf?.objective ?? [], dualGap: tf?.dualGap ?? NaN,
      converged: (tf ?? gm)!.converged, nIterations: (tf ?? gm)!.nIterations, epochs: NaN,
      blasThreads: getNumThreads(), timings: { solve: seconds },
    },
    warnings: r.warnings,
  };
}

export async function solveSparseFiles(job: SparseSolveJob, onStage: StageListener = () => {}): Promise<SparseSolveSummary> {
  const t0 = performance.now();
  checkExtras(job);
  try {
    await fs.promises.mkdir(job.out, { recursive: true });
    await fs.promises.access(job.out, fs.constants.W_OK);
  } catch (e) {
    throw new InputError('--out', 'a writable folder', job.out, (e as Error).message);
  }
  onStage('read', path.basename(job.evoked));
  const inputs = await readSeedInputs(job);
  const hashes = await Promise.all([job.fwd, job.evoked, job.cov].map(sha256File));
  const tRead = performance.now();
  onStage('solve', `${job.solver === 'tfmxne' ? 'TF-MxNE' : 'Gamma-MAP'}, ${inputs.forward.nsource} sources`);
  const r = job.solver === 'tfmxne'
    ? await tfMixedNorm(inputs.evoked, inputs.forward, inputs.cov, job.tfMixedNorm)
    : await gammaMap(inputs.evoked, inputs.forward, inputs.cov, job.gammaMap.alpha, (({ alpha: _a, ...rest }) => rest)(job.gammaMap));
  const tSolve = performance.now();
  const result = asMixedNormResult(r, job, (tSolve - tRead) / 1000);
  onStage('write', job.out);
  const { solver: _s, ...rest } = job;
  const morph = await morphRun(job, inputs, result);
  const base = buildSummary({
    job: { ...rest, weights: 'none', mixedNorm: {} } as SolveJob, result, forward: inputs.forward,
    inputs: { fwd: { path: path.resolve(job.fwd), sha256: hashes[0] }, evoked: { path: path.resolve(job.evoked), sha256: hashes[1] }, cov: { path: path.resolve(job.cov), sha256: hashes[2] } },
    timings: { readSeconds: (tRead - t0) / 1000, solveSeconds: (tSolve - tRead) / 1000 }, morph: morph?.summary,
  });
  const { weights: _w, mixedNorm: _m, ...options } = base.options as SolveSummary['options'] & Record<string, unknown>;
  const diag = { ...r.diagnostics } as Record<string, unknown>;
  for (const [k, v] of Object.entries(diag)) if (v instanceof Int32Array || v instanceof Float64Array) diag[k] = Array.from(v);
  const summary: SparseSolveSummary = { ...base, options: options as SolveSummary['options'], solver: job.solver, solverDiagnostics: diag };
  // The report and the morph as for the seed workflow (extraOutputs), from the same result record.
  await writeOutputs(job.out, result, inputs.forward, summary, extraOutputs(job, inputs, result, summary, morph));
  return summary;
}
