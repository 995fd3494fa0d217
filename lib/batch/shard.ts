/**
 * Slices of a manifest for independent processes (a cluster's array job): row → shard by a hash
 * of its id, so a slice does not change when unrelated rows are added or reordered, and n shards
 * cover every row exactly once. Shards are numbered from 0, as Slurm arrays (`--array=0-3`) and
 * Kubernetes Indexed Jobs (JOB_COMPLETION_INDEX) number their tasks.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';

export interface Shard {
  index: number;
  count: number;
  /** Where the slice came from, said when the batch starts. */
  source: string;
}

/** The environment variable giving the number of shards of a Kubernetes Indexed Job (its `completions`). */
export const SHARDS_ENV = 'MXNE_SHARDS';

/** The shard (0…n-1) a row id belongs to. */
export function shardOf(id: string, count: number): number {
  const h = createHash('sha256').update(id, 'utf8').digest();
  return h.readUIntBE(0, 6) % count;
}

function shardNumbers(index: number, count: number, source: string, field: string): Shard {
  if (!Number.isInteger(count) || count < 1) throw new InputError(field, 'a positive number of shards', String(count));
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new InputError(field, `a shard index in [0, ${count - 1}]`, String(index));
  return { index, count, source };
}

function envInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v.trim() === '') return undefined;
  if (!/^\d+$/.test(v.trim())) throw new InputError(name, 'a non-negative integer', v);
  return Number(v);
}

/** `--shard i/n`. */
export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!m) throw new InputError('--shard', 'i/n with 0 ≤ i < n (e.g. 0/4)', value);
  return shardNumbers(Number(m[1]), Number(m[2]), `--shard ${value}`, '--shard');
}

/**
 * The slice to take: --shard, else a Slurm job array (SLURM_ARRAY_TASK_ID with
 * SLURM_ARRAY_TASK_COUNT, or MIN/MAX and STEP), else a Kubernetes Indexed Job
 * (JOB_COMPLETION_INDEX with --shards or MXNE_SHARDS), else null: the whole manifest.
 */
export function resolveShard(o: { shard?: string; shards?: number }, env: NodeJS.ProcessEnv = process.env): Shard | null {
  if (o.shard !== undefined) return parseShard(o.shard);
  const slurmId = envInt(env, 'SLURM_ARRAY_TASK_ID');
  if (slurmId !== undefined) {
    const min = envInt(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
    const step = envInt(env, 'SLURM_ARRAY_TASK_STEP') ?? 1;
    const max = envInt(env, 'SLURM_ARRAY_TASK_MAX');
    const count = o.shards ?? envInt(env, 'SLURM_ARRAY_TASK_COUNT') ?? (max === undefined ? undefined : Math.floor((max - min) / step) + 1);
    if (count === undefined) throw new InputError('SLURM_ARRAY_TASK_COUNT', 'the size of the job array (or SLURM_ARRAY_TASK_MAX, or --shards)', 'unset');
    const index = (slurmId - min) / step;
    return shardNumbers(index, count, `Slurm array task ${slurmId} (${min}…${min + (count - 1) * step})`, 'SLURM_ARRAY_TASK_ID');
  }
  const k8s = envInt(env, 'JOB_COMPLETION_INDEX');
  if (k8s !== undefined) {
    const count = o.shards ?? envInt(env, SHARDS_ENV);
    if (count === undefined) throw new InputError(SHARDS_ENV, 'the number of shards (the Indexed Job\'s completions), or --shards', 'unset');
    return shardNumbers(k8s, count, `Kubernetes completion index ${k8s} of ${count}`, 'JOB_COMPLETION_INDEX');
  }
  if (o.shards !== undefined) throw new InputError('--shards', 'a shard index too: --shard i/n, SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX', `--shards ${o.shards} alone`);
  return null;
}

/** The rows of a shard (all rows when there is none). */
export function takeShard<T extends { id: string }>(rows: T[], shard: Shard | null): T[] {
  return shard === null ? rows : rows.filter((r) => shardOf(r.id, shard.count) === shard.index);
}

/** How a shard's own files are told apart in the output folder: '' for a whole run. */
export function shardSuffix(shard: Shard | null): string {
  return shard === null ? '' : `.shard-${shard.index}-of-${shard.count}`;
}
