/**
 * What the benchmark times. Each workload runs the same computation on both sides (mxne in Node,
 * bench/mxneSide.ts; MNE-Python 1.3 in /usr/bin/python3, bench/mne_side.py) with the same inputs and
 * settings; the `check` replies let the harness confirm both found the same active set.
 *
 *   pipeline    files → read, baseline (None, 0), crop 0…0.3 s → dSPM weights → irMxNE → dipoles + residual
 *   mixed_norm  the mixed_norm call alone (inputs read and dSPM weights computed outside the timing)
 *   solver      MNE's solver inputs G, M (fixtures §5) → (ir)MxNE solver with debiasing
 *   scaling     the pipeline on synthetic forwards of growing size (lib/demo generateDemo)
 *   samples     the pipeline on surf-fwd.fif (5960 sources) with longer and longer crops (31 … 421 samples)
 *   sparse      MNE's other sparse solvers, tf_mixed_norm and gamma_map, as in the fixtures (inputs read outside the timing)
 *   process     the pipeline as users run it, one whole process per run: `mxne solve` (with its default
 *               report, or --no-report) beside bench/mne_script.py (the seed as one script, with its
 *               2-D figures or without): start-up, module loading, hashing and writing included
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The seed example's mixed_norm settings (fixtures README §3), camelCase; mne_side.py has the same. */
export const SEED_OPTIONS = {
  alpha: 55, loose: 0.2, depth: 0.9, maxit: 3000, tol: 1e-4, activeSetSize: 10, debias: true, weightsMin: 8, nMxneIter: 10,
} as const;

export interface WorkloadSpec {
  kind: 'solver' | 'mixedNorm' | 'pipeline' | 'tfMixedNorm' | 'gammaMap' | 'process';
  /** solver: problem.json path, fixtures root and which run (irmxne / mxne). */
  problem?: string;
  fixtures?: string;
  run?: 'irmxne' | 'mxne';
  /** pipeline / mixedNorm: the three input files and the evoked condition (index or name). */
  fwd?: string;
  evoked?: string;
  cov?: string;
  condition?: string | number;
  /** pipeline / mixedNorm: evoked.crop(tmin, tmax) in seconds, after baseline (None, 0); default [0, 0.3]. */
  crop?: [number, number];
  /** Overrides of SEED_OPTIONS (camelCase; mne_side.py maps them to MNE's names). */
  options?: Record<string, unknown>;
  /** process: mxne writes its report (the CLI's default) and MNE's script its figures. */
  figures?: boolean;
}

export interface Workload {
  name: string;
  group: 'pipeline' | 'mixed_norm' | 'solver' | 'scaling' | 'samples' | 'sparse' | 'process';
  nSources?: number;
  /** Time samples after the crop (samples workloads). */
  nTimes?: number;
  /** Part of `npm run bench:quick`. */
  quick?: boolean;
  /** Profiled (node --cpu-prof, an extra untimed mxne side) in full runs. */
  profile?: boolean;
  /** At most this many timed rounds (slow workloads: MNE takes ~40 s per SURE run). */
  rounds?: number;
  /** Minutes per side: only with `--long` (or named by `--only`). */
  long?: boolean;
  /** Synthetic size to generate before the run (scaling workloads); files are filled in then. */
  synthetic?: number;
  spec: WorkloadSpec;
}

/** The evoked's crop when the spec has none (both sides). */
export const DEFAULT_CROP: [number, number] = [0, 0.3];

export const FULL_SIZES = [1000, 5000, 10000, 20000, 40000];
export const QUICK_SIZES = [1000, 5000];

export function fixtureWorkloads(fixtures: string): Workload[] {
  if (!fs.existsSync(path.join(fixtures, 'README.md'))) return [];
  const input = (f: string) => path.join(fixtures, 'inputs', f);
  const files = (fwd: string) => ({ fwd: input(fwd), evoked: input('right_visual-ave.fif'), cov: input('noise-cov.fif'), condition: 0 });
  const out: Workload[] = [];
  for (const [fwd, n] of [['surf-small-fwd.fif', 900], ['surf-fwd.fif', 5960]] as const) {
    const small = n < 1000;
    out.push({ name: `pipeline ${fwd}`, group: 'pipeline', nSources: n, quick: small, profile: !small, spec: { kind: 'pipeline', ...files(fwd) } });
    // mixed_norm on surf-fwd (5960) is where the event-loop stall is measured: in quick runs too.
    out.push({ name: `mixed_norm ${fwd}`, group: 'mixed_norm', nSources: n, quick: true, profile: !small, spec: { kind: 'mixedNorm', ...files(fwd) } });
  }
  // The CLI as a whole process beside MNE's script as a whole process (issue 12 §2), with and without pictures.
  for (const figures of [true, false]) {
    out.push({ name: `process surf-fwd.fif${figures ? ' (report / figures)' : ' (no report)'}`, group: 'process', nSources: 5960, rounds: 5,
      spec: { kind: 'process', ...files('surf-fwd.fif'), figures } });
  }
  // (d) alpha = 'sure' (MNE's _compute_mxne_sure, 15 alphas × 2 fits × irMxNE), seeded as the fixtures.
  out.push({ name: 'mixed_norm SURE surf-small-fwd.fif', group: 'mixed_norm', nSources: 900, rounds: 2,
    spec: { kind: 'mixedNorm', ...files('surf-small-fwd.fif'), options: { alpha: 'sure', randomState: 0 } } });
  // Issue 16's 33-minute run was SURE with weights_min 4 on the 5960-source forward and the low-SNR
  // Left Auditory average (3 trials): 60 irMxNE solves, of which the low alphas of the grid need
  // thousands of epochs per reweighting. MNE's whole grid would take hours (its active-set loop
  // allows maxit inner solves of maxit epochs each), so the bench times the grid's lowest point,
  // alpha 10 %, on both sides: is the slowness inherent (MNE as slow or slower) or mxne's?
  out.push({ name: 'mixed_norm alpha 10 weights_min 4 surf-fwd.fif left_auditory', group: 'mixed_norm', nSources: 5960, rounds: 1, long: true,
    spec: { kind: 'mixedNorm', fwd: input('surf-fwd.fif'), evoked: input('left_auditory-ave.fif'), cov: input('noise-cov.fif'), condition: 0,
      options: { alpha: 10, weightsMin: 4 } } });
  // Time vs number of time samples: crops of right_visual-ave.fif (600.615 Hz, −0.1998…0.4995 s);
  // sample counts as MNE's evoked.crop gives them (same rounding as lib/records/evoked.ts crop).
  // The shortest window is 0.05…0.1 s, not 0…0.05 s: before 50 ms the dSPM weights peak at 5.26, below
  // weights_min = 8, and both MNE and mxne refuse ("weights_min > weights_max").
  for (const [crop, nTimes] of [[[0.05, 0.1], 31], [[0, 0.1], 61], [[0, 0.3], 181], [[-0.2, 0.5], 421]] as Array<[[number, number], number]>) {
    out.push({ name: `samples ${nTimes} (${crop.map((t) => String(t).replace('-', '−')).join('–')} s)`, group: 'samples', nSources: 5960, nTimes, rounds: 3,
      spec: { kind: 'pipeline', ...files('surf-fwd.fif'), crop } });
  }
  // TF-MxNE and Gamma-MAP with the fixtures' settings (README §4.1: tfmxne-*, gammamap-*); MNE takes
  // 3 / 11 s (TF-MxNE) and 20 / 38 s (Gamma-MAP) per run, hence few rounds.
  for (const [fwd, n] of [['surf-small-fwd.fif', 900], ['surf-fwd.fif', 5960]] as const) {
    out.push({ name: `tf_mixed_norm ${fwd}`, group: 'sparse', nSources: n, rounds: 3,
      spec: { kind: 'tfMixedNorm', ...files(fwd), options: { alpha: 55, l1Ratio: 0.03 } } });
    out.push({ name: `gamma_map ${fwd}`, group: 'sparse', nSources: n, rounds: n < 1000 ? 2 : 1,
      spec: { kind: 'gammaMap', ...files(fwd), options: { alpha: n < 1000 ? 0.5 : 0.6 } } });
  }
  for (const problem of ['seed-rv-surf-small', 'seed-rv-surf', 'mxne-rv-surf-small']) {
    const p = path.join(fixtures, 'solver', problem, 'problem.json');
    const runs = problem.startsWith('seed') ? (['irmxne', 'mxne'] as const) : (['mxne'] as const);
    for (const run of runs) {
      out.push({ name: `solver ${problem} ${run}`, group: 'solver', quick: problem === 'seed-rv-surf-small', spec: { kind: 'solver', problem: p, fixtures, run } });
    }
  }
  return out;
}

const label = (n: number) => (n % 1000 === 0 ? `${n / 1000}k` : String(n));

/** The pipeline on synthetic forwards (files generated by run.ts into a temporary folder). */
export function scalingWorkloads(sizes: number[]): Workload[] {
  return sizes.map((n) => ({
    name: `scaling synthetic ${label(n)}`, group: 'scaling' as const, nSources: n, synthetic: n, quick: QUICK_SIZES.includes(n), profile: n === 20000,
    spec: { kind: 'pipeline' as const, condition: 0 },
  }));
}
