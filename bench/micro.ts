/**
 * Micro-benchmark of the native kernels against numpy on the same OpenBLAS: GEMM, SYRK (AᵀA), thin
 * SVD and eigh, each the median of N timed runs after a warm-up, with the same OpenBLAS thread count
 * on both sides. Rewrites the micro section of bench/RESULTS.md (between the micro markers).
 *
 *   npm run bench:micro [-- --threads 1 --rounds 7 --no-numpy --out bench/RESULTS.md]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { atomicWriteSync } from '../lib/io/atomicWrite.js';
import type { Matrix } from '../lib/linalg/matrix.js';

const PYTHON = process.env.MXNE_PYTHON ?? '/usr/bin/python3';
const START = '<!-- micro:start -->';
const END = '<!-- micro:end -->';

interface Op {
  name: string;
  label: string;
  /** Standard flop count, or null when only the time is reported. */
  flops: number | null;
  run: () => void;
}

interface Options { threads: number; rounds: number; warmup: number; numpy: boolean; out: string }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function timed(fn: () => void, rounds: number, warmup: number): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return out;
}

function parseArgs(argv: string[], root: string): Options {
  const o: Options = { threads: 1, rounds: 7, warmup: 1, numpy: true, out: path.join(root, 'bench', 'RESULTS.md') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`Expected a positive integer after ${a} but received ${argv[i]}`);
      return v;
    };
    if (a === '--threads') o.threads = num();
    else if (a === '--rounds') o.rounds = num();
    else if (a === '--warmup') o.warmup = num();
    else if (a === '--no-numpy') o.numpy = false;
    else if (a === '--out') o.out = path.resolve(argv[++i]);
    else throw new RangeError(`Unknown option ${a} (expected --threads, --rounds, --warmup, --no-numpy, --out)`);
  }
  return o;
}

function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

/** Uniform(-1, 1) fill from a small LCG: the kernels' speed does not depend on the distribution. */
function fill(M: Matrix, seed: number): Matrix {
  let s = seed >>> 0;
  for (let k = 0; k < M.data.length; k++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    M.data[k] = s / 2147483648 - 1;
  }
  return M;
}

function numpySide(o: Options): { version: string; python: string; ops: Record<string, number[]> } | null {
  const script = path.join(packageRoot(), 'bench', 'micro_numpy.py');
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(o.threads), OMP_NUM_THREADS: String(o.threads) };
  const r = spawnSync(PYTHON, [script, String(o.rounds), String(o.warmup)], { env, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) {
    process.stderr.write(`bench:micro: numpy side failed (${PYTHON}): ${r.stderr || r.error}\n`);
    return null;
  }
  const j = JSON.parse(r.stdout) as { numpy: string; python: string; ops: Record<string, number[]> };
  return { version: j.numpy, python: j.python, ops: j.ops };
}

function dpkgVersion(pkg: string): string {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : 'unknown';
}

async function main(): Promise<void> {
  const root = packageRoot();
  const o = parseArgs(process.argv.slice(2), root);
  // OpenBLAS reads OPENBLAS_NUM_THREADS when the addon is loaded, so set it before the first import.
  process.env.OPENBLAS_NUM_THREADS = String(o.threads);
  const { Matrix } = await import('../lib/linalg/matrix.js');
  const { gemm, gram } = await import('../lib/linalg/blas.js');
  const { eigh, svd } = await import('../lib/linalg/decomp.js');
  const native = await import('../lib/native.js');
  native.setNumThreads(o.threads);

  const A = fill(new Matrix(1000, 1000), 1);
  const B = fill(new Matrix(1000, 1000), 2);
  const C = new Matrix(1000, 1000);
  const wide = fill(new Matrix(306, 5000), 3);
  const G1 = new Matrix(5000, 5000);
  const tall = fill(new Matrix(5000, 306), 4);
  const G2 = new Matrix(306, 306);
  const S = fill(new Matrix(306, 8000), 5);
  const R = fill(new Matrix(500, 500), 6);
  const H = new Matrix(500, 500);
  for (let j = 0; j < 500; j++) for (let i = 0; i < 500; i++) H.set(i, j, (R.get(i, j) + R.get(j, i)) / 2);

  const ops: Op[] = [
    { name: 'gemm', label: 'GEMM A·B, 1000×1000 · 1000×1000', flops: 2 * 1000 ** 3, run: () => gemm(A, B, { out: C }) },
    { name: 'syrk_wide', label: 'SYRK AᵀA, A 306×5000 → 5000×5000', flops: 5000 ** 2 * 306, run: () => gram(wide, { out: G1 }) },
    { name: 'syrk_tall', label: 'SYRK AᵀA, A 5000×306 → 306×306', flops: 306 ** 2 * 5000, run: () => gram(tall, { out: G2 }) },
    { name: 'svd', label: 'thin SVD (dgesdd), 306×8000', flops: null, run: () => svd(S) },
    { name: 'eigh', label: 'eigh (dsyevd), 500×500', flops: null, run: () => eigh(H) },
  ];

  const mine: Record<string, number[]> = {};
  for (const op of ops) {
    process.stderr.write(`bench:micro: mxne ${op.name} …`);
    mine[op.name] = timed(op.run, o.rounds, o.warmup);
    process.stderr.write(` ${(median(mine[op.name]) * 1e3).toFixed(1)} ms\n`);
  }
  if (o.numpy) process.stderr.write('bench:micro: numpy side …\n');
  const np = o.numpy ? numpySide(o) : null;

  const ms = (s: number) => (s * 1e3).toFixed(s < 0.01 ? 2 : 1);
  const gf = (flops: number | null, s: number) => (flops === null ? '—' : (flops / s / 1e9).toFixed(1));
  const rows = ['| operation | mxne ms | mxne GFLOP/s | numpy ms | numpy GFLOP/s | numpy/mxne (time) |', '| --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const op of ops) {
    const t = median(mine[op.name]);
    const nt = np?.ops[op.name] ? median(np.ops[op.name]) : null;
    rows.push(`| ${op.label} | ${ms(t)} | ${gf(op.flops, t)} | ${nt === null ? '—' : ms(nt)} | ${nt === null ? '—' : gf(op.flops, nt)} | ` +
      `${nt === null ? '—' : `**${(nt / t).toFixed(2)}×**`} |`);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const cpus = os.cpus();
  const command = `npm run bench:micro${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const section = [START,
    `## Micro-benchmark: native kernels vs numpy (generated ${new Date().toISOString().slice(0, 16)}Z)`,
    '',
    `Command: \`${command}\` — median of ${o.rounds} timed runs after ${o.warmup} warm-up, mxne first, then numpy ` +
      `(\`${PYTHON} bench/micro_numpy.py\`); preallocated outputs on both sides (numpy: \`np.matmul(…, out=…)\`, ` +
      '`A.T @ A` is dsyrk there too).',
    `Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${os.platform()} ${os.release()}; ` +
      `OpenBLAS threads: ${o.threads} on both sides (OPENBLAS_NUM_THREADS=${o.threads}).`,
    `Versions: mxne ${pkg.version}, Node ${process.version}, OpenBLAS ${dpkgVersion('libopenblas0-pthread')}, ` +
      `LAPACKE ${dpkgVersion('liblapacke')}, ${np ? `numpy ${np.version} (Python ${np.python})` : 'numpy not run'}.`,
    'GFLOP/s from the standard counts (GEMM 2mnk, SYRK n²k); SVD and eigh: time only. ' +
      'numpy/mxne > 1 means mxne is faster.',
    '',
    ...rows,
    END].join('\n');
  const old = fs.existsSync(o.out) ? fs.readFileSync(o.out, 'utf8') : '# mxne benchmarks\n';
  const next = old.includes(START) && old.includes(END)
    ? old.slice(0, old.indexOf(START)) + section + old.slice(old.indexOf(END) + END.length)
    : `${old.trimEnd()}\n\n${section}\n`;
  atomicWriteSync(o.out, next);
  process.stdout.write(`${rows.join('\n')}\n`);
  process.stderr.write(`bench:micro: wrote ${path.relative(process.cwd(), o.out)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:micro: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
