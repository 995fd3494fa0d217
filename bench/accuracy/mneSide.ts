/**
 * Runs MNE-Python's seed settings on the study's cases (bench/accuracy/mne_accuracy.py), split over
 * `processes` Python processes (one BLAS thread each), and collects one reply per case.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { packageRoot } from '../../lib/native.js';
import type { EstimatedDipole } from './score.js';

/** heldOut: a JSON file of the forward's sources to take out before solving (the study's truth sites), or null. */
export interface MneCase { id: number; evoked: string; fwd: string; cov: string; heldOut: string | null }
export interface MneReply { id: number; seconds?: number; dipoles?: EstimatedDipole[]; error?: string }
/** The replies by case, and the CPU seconds of the Python processes. */
export interface MneRun { replies: Map<number, MneReply>; cpuSeconds: number }

export const PYTHON = process.env.MXNE_PYTHON ?? '/usr/bin/python3';

async function runBatch(script: string, casesFile: string): Promise<{ replies: MneReply[]; cpuSeconds: number }> {
  const child = spawn(PYTHON, [script, casesFile], { env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MNE_LOGGING_LEVEL: 'ERROR' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  const replies: MneReply[] = [];
  let cpuSeconds = 0;
  for await (const line of readline.createInterface({ input: child.stdout })) {
    if (!line.startsWith('{')) continue;
    const r = JSON.parse(line) as MneReply & { cpuSeconds?: number };
    if (r.cpuSeconds !== undefined) cpuSeconds = r.cpuSeconds; else replies.push(r);
  }
  const code = await new Promise<number | null>((resolve) => { if (child.exitCode !== null) resolve(child.exitCode); else child.on('exit', resolve); });
  if (code !== 0) throw new Error(`${PYTHON} ${path.basename(script)} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return { replies, cpuSeconds };
}

export async function runMne(cases: MneCase[], dir: string, processes: number): Promise<MneRun> {
  const script = path.join(packageRoot(), 'bench', 'accuracy', 'mne_accuracy.py');
  const batches = Array.from({ length: processes }, (_, p) => cases.filter((_, i) => i % processes === p)).filter((b) => b.length > 0);
  const all = await Promise.all(batches.map((b, p) => {
    const file = path.join(dir, `mne-cases-${p}.json`);
    fs.writeFileSync(file, JSON.stringify(b));
    return runBatch(script, file);
  }));
  return { replies: new Map(all.flatMap((b) => b.replies).map((r) => [r.id, r])), cpuSeconds: all.reduce((t, b) => t + b.cpuSeconds, 0) };
}
