/**
 * The pipeline's arithmetic floor (issue 12 §3), computed by the bench instead of written by hand:
 * flop counts of each step from the problem's own shapes (channels per group, their noise ranks,
 * sources, time samples, columns kept by the dSPM weights) and the GEMM rate measured on the same
 * machine in the same run (one core, the whitening GEMM's shape). run.ts computes it in a process
 * of its own per pipeline workload (so it adds nothing to the sides' peak RSS):
 *   node dist/bench/floor.js '<workload spec as JSON>'   → the Floor as JSON on stdout
 * and bench/report.ts renders it against the measured stages.
 */
import * as fs from 'node:fs';
import { Matrix } from '../lib/linalg/matrix.js';
import { addon } from '../lib/native.js';
import { selectChannels } from '../lib/prepare/pickChannels.js';
import { prepareNoiseCov } from '../lib/prepare/whitener.js';
import type { MixedNormOptions } from '../lib/sparse/mixedNormOptions.js';
import { dspmWeights } from '../lib/workflow/dspmWeights.js';
import { readSeedInputs, type SeedInputs } from '../lib/workflow/solveFiles.js';
import { DEFAULT_CROP, SEED_OPTIONS, type WorkloadSpec } from './workloads.js';

/** One step of the floor: its flops, and the stage of the measured breakdown it runs in. */
export interface FloorStep { step: string; stage: FloorStage; gflop: number }

/** The pipeline workload's stages (mxneSide: read, then mixedNorm's own laps; the dSPM runs inside 'prepare'). */
export type FloorStage = 'read' | 'prepare' | 'whiten' | 'solve' | 'results';
export const FLOOR_STAGES: readonly FloorStage[] = ['read', 'prepare', 'whiten', 'solve', 'results'];

export interface Floor {
  shape: { channels: number; whitened: number; sources: number; times: number; keptColumns: number };
  steps: FloorStep[];
  /** Single-thread GEMM rate, GFLOP/s, measured on the whitening GEMM's shape (best of 5). */
  gemmGflops: number;
  /** Reading the three input files' bytes from the page cache (best of 3), seconds: the read's floor. */
  readSeconds: number;
}

/** dsyevd with vectors: tridiagonal reduction (4/3 n³), divide and conquer and back-transformation (~10/3 n³). */
const eighFlops = (n: number) => (14 / 3) * n ** 3;

/** The seed pipeline's flops on these inputs (the steps of lib/workflow/solveFiles.ts solveSeed). */
export async function pipelineFloor(inputs: SeedInputs, files: string[], options: MixedNormOptions): Promise<Floor> {
  const { evoked, forward, cov } = inputs;
  const names = selectChannels(evoked.info, forward, cov);
  const nc = await prepareNoiseCov(cov, evoked.info, names, options.rank ?? null);
  const groups = nc.groups.map((g) => ({ c: g.picks.length, r: nc.rank.get(g.type)! }));
  const nChan = names.length, nWhite = nc.nNonzero, n = forward.nsource, T = evoked.nTimes;
  const perSource = forward.sourceOri === 1 ? 1 : 3;
  const dspm = await dspmWeights(evoked, forward, cov, options);
  let kept = 0;
  for (let i = 0; i < dspm.data.rows; i++) {
    let m = 0;
    for (let t = 0; t < dspm.data.cols; t++) m = Math.max(m, Math.abs(dspm.data.get(i, t)));
    if (m > (options.weightsMin ?? 0)) kept++;
  }
  const keptColumns = kept * perSource;
  const sparseRows = groups.reduce((s, g) => s + g.r * g.c, 0);   // pca=True whitener: rank rows per group
  const dspmRows = groups.reduce((s, g) => s + g.c * g.c, 0);     // pca='white': every row
  const pcaRank = Math.min(nWhite, T);
  const steps: Array<[string, FloorStage, number]> = [
    ['noise covariance: P·C·Pᵀ, rank estimates, eigh per channel group (once per run)', 'prepare',
      4 * nChan ** 3 + groups.reduce((s, g) => s + 4 * g.c ** 3 + (8 / 3) * g.c ** 3 + eighFlops(g.c), 0)],
    ['sparse whitening W·G of the free gain, block-diagonal by group', 'prepare', 2 * sparseRows * perSource * n],
    ['rotation to surface orientation + column norms (memory-bound)', 'prepare', 18 * nWhite * n],
    ['dSPM whitening W·G of the fixed gain', 'prepare', 2 * dspmRows * n],
    ['dSPM Gram G̃G̃ᵀ (SYRK) and its eigh', 'prepare', nChan ** 2 * n + eighFlops(nChan)],
    ['dSPM V = G̃ᵀU', 'prepare', 2 * nChan ** 2 * n],
    ['dSPM apply: Uᵀ·W·P, then V·(trans·data)', 'prepare', 4 * nChan ** 3 + 2 * nChan ** 2 * T + 2 * n * nChan * T],
    ['data whitening, time PCA (SVD), alpha_max = ‖GᵀM‖ on the kept columns', 'whiten',
      2 * nWhite * nChan * T + 4 * nWhite * T * pcaRank + 8 * pcaRank ** 3 + 2 * pcaRank * nWhite * keptColumns],
  ];
  return {
    shape: { channels: nChan, whitened: nWhite, sources: n, times: T, keptColumns },
    steps: steps.map(([step, stage, flops]) => ({ step, stage, gflop: flops / 1e9 })),
    gemmGflops: gemmRate(Math.max(...groups.map((g) => g.r)), Math.max(...groups.map((g) => g.c)), Math.min(perSource * n, 6000)),
    readSeconds: bestOf(3, () => { for (const f of files) fs.readFileSync(f); }),
  };
}

function bestOf(k: number, f: () => void): number {
  let best = Infinity;
  for (let i = 0; i < k; i++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

/** GFLOP/s of an m × k · k × n GEMM on this thread (the side runs one OpenBLAS thread). */
function gemmRate(m: number, k: number, n: number): number {
  const A = new Matrix(m, k), B = new Matrix(k, n), C = new Matrix(m, n);
  A.data.fill(0.5);
  B.data.fill(0.25);
  const s = bestOf(5, () => addon.gemm(false, false, m, k, A.data, k, n, B.data, 1, 0, C.data));
  return (2 * m * k * n) / s / 1e9;
}

/** The floor of each stage, seconds: flops at the measured rate; the solve is counted at its measured time. */
export function stageFloors(f: Floor, solveSeconds: number): Record<FloorStage, number> {
  const out: Record<FloorStage, number> = { read: f.readSeconds, prepare: 0, whiten: 0, solve: solveSeconds, results: 0 };
  for (const s of f.steps) out[s.stage] += s.gflop / f.gemmGflops;
  return out;
}

if (require.main === module) {
  const spec = JSON.parse(process.argv[2]) as WorkloadSpec;
  const [tmin, tmax] = spec.crop ?? DEFAULT_CROP;
  const files = [spec.fwd, spec.evoked, spec.cov] as string[];
  readSeedInputs({ fwd: files[0], evoked: files[1], cov: files[2], condition: spec.condition ?? 0, baseline: [null, 0], tmin, tmax })
    .then((inputs) => pipelineFloor(inputs, files, { ...SEED_OPTIONS, ...(spec.options as MixedNormOptions | undefined) }))
    .then((f) => process.stdout.write(`${JSON.stringify(f)}\n`))
    .catch((e: unknown) => { process.stderr.write(`floor: ${(e as Error).stack ?? String(e)}\n`); process.exitCode = 1; });
}
