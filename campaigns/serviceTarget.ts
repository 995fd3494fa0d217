/**
 * Fuzz target for the service's job requests: mutated JSON bodies of POST /v1/jobs sent through
 * fastify's `inject` to the app `mxne serve` builds (lib/service/app.ts), so the real body parser,
 * JSON schema and option checks run, with no network. Allowed answers: 202 with the job's view, or
 * a 4xx whose body is a typed error ({ error: { code, message, field? } }) carrying neither a
 * stack nor a host path. A 5xx, another shape, or a thrown inject is a failure.
 *
 * The queue behind the app is the one seam replaced: an accepted job is checked (its inputs are
 * real files under the data root, its settings resolved) and dropped, since solving 100,000 jobs
 * is not what this campaign tests (the service's own tests solve them on the real queues).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../lib/service/app.js';
import { JOB_OPTION_NAMES } from '../lib/service/jobOptions.js';
import type { JobQueue } from '../lib/service/jobQueue.js';
import type { JobRecord } from '../lib/service/jobRecord.js';
import { createMetrics } from '../lib/service/metrics.js';
import type { Target } from './fuzzTargets.js';
import { scratch } from './manifestTargets.js';

export const SERVICE_REQUEST = 'POST /v1/jobs';

/** A 4xx with a well-formed error body: the typed outcome of a bad request. */
export class RequestRefused extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(`${status} ${code}: ${message}`);
  }
}

/** Checks what the app hands the queue, then forgets it. */
class CheckingQueue implements JobQueue {
  constructor(private readonly root: string) {}
  async submit(r: JobRecord): Promise<void> {
    for (const f of [r.job.fwd, r.job.evoked, r.job.cov]) {
      if (!f.startsWith(this.root + path.sep) || !fs.statSync(f).isFile()) throw new Error(`the queue received ${f}, not a file under the data root`);
    }
    if (r.job.mixedNorm === undefined) throw new Error('the queue received a job without solver settings');
  }
  async get(): Promise<JobRecord | null> { return null; }
  async cancel(): Promise<JobRecord | null> { return null; }
  async remove(): Promise<void> {}
  async sweep() { return 0; }
  async counts() { return { queued: 0, running: 0 }; }
  async ready() { return true; }
  retryAfterSeconds() { return 1; }
  async shutdown() {}
}

const FILES = { fwd: 'demo-fwd.fif', evoked: 'demo-ave.fif', cov: 'demo-cov.fif' };

const BODIES: object[] = [
  FILES,
  { ...FILES, options: { alpha: 40, nMxneIter: 5, debias: false, baseline: [null, 0], loose: 0.2, condition: 'Left Auditory', weights: 'none' } },
  { ...FILES, options: { alpha: 'sure', auto: 'sure', tmin: 0.05, tmax: 0.2, depth: null, weightsMin: 4, maxit: 100, tol: 1e-6, activeSetSize: null, randomState: 3, pickOri: 'vector', joint: true, solver: 'mxne', report: false } },
  { evoked: 'sub/demo-ave.fif', cov: FILES.cov, fwd: FILES.fwd, options: { condition: [0], subjectsDir: 'subjects', subject: 'demo', morphTo: 'demo-template', loose: 'auto', depth: 0.9 } },
];

/**
 * JSON values and keys a mutant may put in place of another: valid JSON, so that the mutant gets
 * past the parser to the schema and the option checks (byte edits already make invalid JSON).
 */
const JSON_TOKENS = ['1e309', '99999999999999999999', '-1e-400', '0.1e1', 'null', 'true', 'false', '0', '-1', '1e308', '1e-320', '-0', '"x"', '""', '[]', '{}', '[null,0]', '[1,2,3]', '[[]]', '{"a":{}}', '"none"', '"sure"', '"auto"', '"vector"',
  '"__proto__"', '"constructor"', '"fwd"', '"evoked"', '"cov"', '"options"', '"../demo-fwd.fif"', '"/etc/hostname"', '"escape-fwd.fif"', '"sub"', '"demo-fwd.fif\\u0000"', '"\\ud800"',
  ...JOB_OPTION_NAMES.map((n) => `"${n}"`)];

export function serviceTarget(): Target {
  const files = [...Object.values(FILES), 'sub/demo-ave.fif'];
  const tmp = scratch('service', files);
  let app: FastifyInstance | null = null;
  let root = tmp.dir;
  const appFor = async (): Promise<FastifyInstance> => {
    if (app !== null) return app;
    tmp.ensure();
    root = fs.realpathSync(tmp.dir);
    // A link that leads out of the data root.
    fs.rmSync(path.join(root, 'escape-fwd.fif'), { force: true });
    fs.symlinkSync('/etc/hostname', path.join(root, 'escape-fwd.fif'));
    app = await buildApp({ queue: new CheckingQueue(root), metrics: createMetrics(), results: path.join(root, 'results'), dataRoot: root, token: null, maxUploadBytes: 1 << 20 });
    return app;
  };
  return {
    name: 'service-jobs', file: SERVICE_REQUEST, seeds: BODIES.map((b) => Buffer.from(JSON.stringify(b))), text: true, hot: BODIES.map(() => []),
    tokens: JSON_TOKENS, separator: /[\s,:{}[\]]/,
    read: async (b) => {
      const res = await (await appFor()).inject({ method: 'POST', url: '/v1/jobs', headers: { 'content-type': 'application/json' }, payload: b });
      let body: { id?: string; state?: string; error?: { code?: unknown; message?: unknown } };
      try { body = res.json(); } catch { throw new Error(`HTTP ${res.statusCode} with a body that is not JSON`); }
      const leak = res.body.includes(tmp.dir) || res.body.includes(root) ? 'a host path' : /\n\s+at /.test(res.body) ? 'a stack' : null;
      if (leak !== null) throw new Error(`HTTP ${res.statusCode} carrying ${leak}`);
      if (res.statusCode === 202 && typeof body.id === 'string' && body.state === 'queued') return body;
      const e = body.error;
      if (res.statusCode >= 400 && res.statusCode < 500 && e !== undefined && typeof e.code === 'string' && typeof e.message === 'string' && e.message !== '') throw new RequestRefused(res.statusCode, e.code, e.message);
      throw new Error(`HTTP ${res.statusCode} ${String(e?.code)}: ${String(e?.message ?? res.body.slice(0, 80))}`);
    },
    typed: (e) => e instanceof RequestRefused,
    covers: /[\\/]lib[\\/]service[\\/](app|jobOptions|dataRoot)\.js$/,
    close: async () => { await app?.close(); app = null; await tmp.remove(); },
  };
}
