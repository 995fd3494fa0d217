/**
 * The HTTP side of `mxne serve` (fastify 5): accepts jobs, answers their state and results, and
 * hands them to a JobQueue (in-process or Redis). Every failure a client causes is a 4xx naming
 * the field; a response never carries a stack or a host path.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { InputError, PoolError } from '../errors.js';
import { didYouMean } from '../sparse/mixedNormOptions.js';
import { bearerMatches } from './auth.js';
import { resolveUnderRoot } from './dataRoot.js';
import { jobOptionsSchema, parseJobOptions, unknownOptionError } from './jobOptions.js';
import type { JobQueue } from './jobQueue.js';
import { jobView, outFolder, uploadFolder, type JobRecord } from './jobRecord.js';
import type { ServiceMetrics } from './metrics.js';
import { resultFile, resultFileName } from './resultFiles.js';
import { receiveUpload, UploadTooLargeError } from './uploads.js';

export interface AppOptions {
  queue: JobQueue;
  metrics: ServiceMetrics;
  results: string;
  /** Real path of --data-root; null: jobs must upload their files. */
  dataRoot: string | null;
  /** Bearer token required on every route but /healthz and /readyz; null: none. */
  token: string | null;
  maxUploadBytes: number;
  logger?: FastifyServerOptions['logger'];
}

const FILE_FIELDS = ['fwd', 'evoked', 'cov'] as const;
const BODY_FIELDS = [...FILE_FIELDS, 'options'];

const errorBody = (e: { code: string; message: string; field?: string }) => ({ error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } });

/** A schema violation as the InputError of its field (an unknown option gets a suggestion). */
function validationError(e: FastifyError): InputError {
  const v = e.validation![0];
  const at = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (v.keyword === 'additionalProperties') {
    const key = String((v.params as { additionalProperty: string }).additionalProperty);
    if (at === 'options') return unknownOptionError(key);
    return new InputError(key, `one of ${BODY_FIELDS.join(', ')}`, `unknown field "${key}"${didYouMean(key, BODY_FIELDS)}`);
  }
  if (v.keyword === 'required') {
    const key = String((v.params as { missingProperty: string }).missingProperty);
    return new InputError(at ? `${at}.${key}` : key, 'a value', 'nothing');
  }
  return new InputError(at || 'body', `a value that ${v.message ?? 'is valid'}`, JSON.stringify((v as { data?: unknown }).data ?? null));
}

/** The longest long poll (GET /v1/jobs/:id?wait=SECONDS). */
export const MAX_WAIT_SECONDS = 60;

/**
 * Resolves when job `r` is no longer in the state it had, after `ms`, when the client goes away
 * (`res` closes) or when the server closes (`closing`). Listens on both directly: a composite
 * AbortSignal.any per long poll registered itself with the server's long-lived signal.
 */
function stateChange(queue: JobQueue, r: JobRecord, ms: number, res: NodeJS.EventEmitter, closing: AbortSignal): Promise<void> {
  const { id, state } = r;
  return new Promise((resolve) => {
    const stops: Array<() => void> = [];
    const done = () => { for (const s of stops) s(); resolve(); };
    const timer = setTimeout(done, ms);
    stops.push(() => clearTimeout(timer));
    if (closing.aborted) return done();
    closing.addEventListener('abort', done, { once: true });
    stops.push(() => closing.removeEventListener('abort', done));
    res.once('close', done);
    stops.push(() => res.removeListener('close', done));
    const look = () => { void queue.get(id).then((now) => { if (now?.state !== state) done(); }, done); };
    if (queue.onStateChange) {
      stops.push(queue.onStateChange((changed) => { if (changed === id) done(); }));
      look(); // a change between the caller's read and the subscription
    } else {
      const every = setInterval(look, 250);
      stops.push(() => clearInterval(every));
    }
  });
}

export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: o.logger ?? false,
    genReqId: () => randomUUID(),
    // Unknown keys must reach the error handler (to be named), not be dropped; types are not coerced.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false, verbose: true, allowUnionTypes: true } },
    bodyLimit: 1 << 20,
  });
  // One part beyond the three files and the options, so that an extra part is refused by name (uploads.ts).
  await app.register(multipart, { limits: { fileSize: o.maxUploadBytes, files: 4, fields: 2, fieldSize: 64 << 10, parts: 6 }, throwFileSizeLimit: false });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    if (o.token === null || req.url === '/healthz' || req.url === '/readyz') return;
    if (!bearerMatches(req.headers.authorization, o.token)) {
      reply.header('www-authenticate', 'Bearer').code(401);
      return reply.send(errorBody({ code: 'EAUTH', message: 'a bearer token is required (Authorization: Bearer <token>)' }));
    }
  });

  app.setErrorHandler((e: FastifyError, req, reply) => {
    if (e.validation) return reply.code(400).send(errorBody(validationError(e)));
    if (e instanceof UploadTooLargeError) return reply.code(413).send(errorBody(e));
    if (e instanceof InputError) return reply.code(400).send(errorBody(e));
    if (e instanceof PoolError && e.code === 'EQUEUEFULL') {
      return reply.code(429).header('retry-after', String(o.queue.retryAfterSeconds())).send(errorBody(e));
    }
    if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.code(e.statusCode).send(errorBody({ code: e.code ?? 'EREQUEST', message: e.message }));
    }
    req.log.error({ err: e }, 'request failed');
    return reply.code(500).send(errorBody({ code: 'EINTERNAL', message: `internal error (request ${req.id})` }));
  });

  const find = async (id: string): Promise<JobRecord> => {
    const r = /^[0-9a-f-]{36}$/.test(id) ? await o.queue.get(id) : null;
    if (r === null) throw Object.assign(new Error(`no job ${id}`), { statusCode: 404, code: 'ENOJOB' });
    return r;
  };

  app.post('/v1/jobs', {
    schema: {
      // Paths as JSON; a multipart upload is read and checked part by part (uploads.ts).
      body: {
        content: {
          'application/json': {
            schema: {
              type: 'object', additionalProperties: false, required: [...FILE_FIELDS],
              properties: { fwd: { type: 'string' }, evoked: { type: 'string' }, cov: { type: 'string' }, options: jobOptionsSchema() },
            },
          },
        },
      },
    },
  }, async (req, reply) => {
    const id = randomUUID();
    let files: Record<(typeof FILE_FIELDS)[number], string>;
    let inputs: typeof files;
    let options: Record<string, unknown>;
    const uploaded = req.isMultipart();
    try {
      if (uploaded) {
        const u = await receiveUpload(req, uploadFolder(o.results, id), o.maxUploadBytes);
        ({ files, options } = u);
        inputs = u.names;
      } else {
        const body = req.body as Record<string, string> & { options?: Record<string, unknown> };
        if (o.dataRoot === null) throw new InputError('fwd', 'an upload (multipart/form-data): this service has no --data-root', 'a path');
        const root = o.dataRoot;
        const real = await Promise.all(FILE_FIELDS.map((f) => resolveUnderRoot(root, body[f], f)));
        files = { fwd: real[0], evoked: real[1], cov: real[2] };
        inputs = { fwd: body.fwd, evoked: body.evoked, cov: body.cov };
        options = body.options ?? {};
      }
      const record: JobRecord = {
        id, state: 'queued', job: { ...files, out: outFolder(o.results, id), ...parseJobOptions(options) },
        inputs, uploaded, progress: {}, submittedAt: Date.now(),
      };
      await o.queue.submit(record);
      req.log.info({ job: id }, 'job queued');
      return reply.code(202).header('location', `/v1/jobs/${id}`).send(jobView(record));
    } catch (e) {
      if (uploaded) await fs.promises.rm(path.dirname(uploadFolder(o.results, id)), { recursive: true, force: true });
      throw e;
    }
  });

  // ?wait=SECONDS: a long poll, answered as soon as the job's state changes (or after that long, or
  // when the server closes), so that a client learns of the end without polling for it.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());
  app.get<{ Params: { id: string }; Querystring: { wait?: string } }>('/v1/jobs/:id', {
    // A query string is text (the app does not coerce types): the number is checked here.
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { wait: { type: 'string' } } } },
  }, async (req, reply) => {
    const wait = req.query.wait === undefined ? 0 : Number(req.query.wait);
    if (!(req.query.wait !== '' && wait >= 0 && wait <= MAX_WAIT_SECONDS)) throw new InputError('wait', `seconds from 0 to ${MAX_WAIT_SECONDS}`, JSON.stringify(req.query.wait));
    const r = await find(req.params.id);
    if (wait === 0 || (r.state !== 'queued' && r.state !== 'running')) return jobView(r);
    await stateChange(o.queue, r, wait * 1000, reply.raw, closing.signal);
    return jobView(await find(req.params.id));
  });

  app.get<{ Params: { id: string } }>('/v1/jobs/:id/result', async (req, reply) => {
    const r = await find(req.params.id);
    if (r.state !== 'done') return reply.code(409).send(errorBody({ code: 'ENOTDONE', message: `job ${r.id} is ${r.state}, not done` }));
    // Streamed as the worker wrote it (inputs named as the client named them): parsing and
    // re-serialising every result here was the main thread's largest allocation under load.
    const f = await resultFile(o.results, r.id, 'result.json');
    if (f === null) return reply.code(404).send(errorBody({ code: 'ENOFILE', message: `job ${r.id} has no result.json` }));
    return reply.type(f.type).send(fs.createReadStream(f.path));
  });

  app.get<{ Params: { id: string; name: string } }>('/v1/jobs/:id/files/:name', async (req, reply) => {
    const r = await find(req.params.id);
    const name = resultFileName(req.params.name);
    if (r.state !== 'done') return reply.code(409).send(errorBody({ code: 'ENOTDONE', message: `job ${r.id} is ${r.state}, not done` }));
    const f = await resultFile(o.results, r.id, name);
    if (f === null) return reply.code(404).send(errorBody({ code: 'ENOFILE', message: `job ${r.id} has no ${name}` }));
    return reply.type(f.type).send(fs.createReadStream(f.path));
  });

  app.delete<{ Params: { id: string } }>('/v1/jobs/:id', async (req, reply) => {
    const r = await find(req.params.id);
    if (r.state === 'queued' || r.state === 'running') return reply.code(202).send(jobView((await o.queue.cancel(r.id))!));
    await o.queue.remove(r.id);
    return reply.code(204).send();
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => ((await o.queue.ready()) ? { ready: true } : reply.code(503).send({ ready: false })));
  app.get('/metrics', async (_req, reply) => reply.type(o.metrics.registry.contentType).send(await o.metrics.registry.metrics()));
  return app;
}
