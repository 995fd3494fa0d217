/**
 * The in-process queue's memory on disk: each job's record in <results>/<id>/job.json (written
 * atomically when the job is accepted and when it ends), so a restarted service knows its jobs
 * and finds the unfinished ones again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { atomicWrite } from '../io/atomicWrite.js';
import { jobFolder, type JobRecord } from './jobRecord.js';

const ID = /^[0-9a-f-]{36}$/;

export async function saveRecord(results: string, r: JobRecord): Promise<void> {
  await fs.promises.mkdir(jobFolder(results, r.id), { recursive: true });
  await atomicWrite(path.join(jobFolder(results, r.id), 'job.json'), `${JSON.stringify(r)}\n`);
}

/** The record of job `id`, or null. */
export async function loadRecord(results: string, id: string): Promise<JobRecord | null> {
  if (!ID.test(id)) return null;
  try {
    return JSON.parse(await fs.promises.readFile(path.join(results, id, 'job.json'), 'utf8')) as JobRecord;
  } catch {
    // A folder without a readable record was never accepted (the record is written before the 202).
    return null;
  }
}

/** Every job recorded under `results`, oldest first. */
export async function loadRecords(results: string): Promise<JobRecord[]> {
  const out: JobRecord[] = [];
  for (const id of await fs.promises.readdir(results).catch(() => [] as string[])) {
    const r = await loadRecord(results, id);
    if (r !== null) out.push(r);
  }
  return out.sort((a, b) => a.submittedAt - b.submittedAt);
}

export async function removeJobFolder(results: string, id: string): Promise<void> {
  await fs.promises.rm(jobFolder(results, id), { recursive: true, force: true });
}
