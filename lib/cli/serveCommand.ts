/** `mxne serve`: the HTTP service (lib/service) until SIGTERM or SIGINT, then a graceful stop. */
import { Command } from 'commander';
import * as os from 'node:os';
import * as v8 from 'node:v8';
import * as parse from './parsers.js';

export function serveCommand(): Command {
  return new Command('serve')
    .description('HTTP service: POST /v1/jobs, GET /v1/jobs/:id[/result|/files/:name], DELETE /v1/jobs/:id, /healthz, /readyz, /metrics')
    .option('--port <n>', 'TCP port (0: any free port)', parse.nonNegativeInteger, 8080)
    .option('--host <address>', 'address to bind; anything but loopback needs a token', '127.0.0.1')
    .option('--data-root <dir>', 'jobs may name input files under this folder (else they upload them)', parse.once)
    .option('--results <dir>', 'job folders (outputs, uploads, the queue across restarts)', 'mxne-results')
    .option('--jobs <n>', 'solves side by side (one BLAS thread each)', parse.positiveInteger, os.availableParallelism())
    .option('--max-queue <n>', 'jobs waiting beyond those running; one more is answered 429', parse.nonNegativeInteger, 64)
    .option('--job-timeout <seconds>', 'a running job is stopped after this long', parse.positiveNumber, 900)
    .option('--max-upload-mb <n>', 'largest uploaded file', parse.positiveNumber, 512)
    .option('--keep-finished <hours>', 'a finished job (done, failed, cancelled) and its files are removed this long after it ended (default: 24)', parse.positiveNumber)
    .option('--token-file <file>', 'bearer token clients must send (or MXNE_TOKEN)')
    .option('--queue <redis-url>', 'redis://HOST:PORT: queue jobs in Redis (BullMQ) for `mxne worker` processes')
    .action(async (o: { port: number; host: string; dataRoot?: string; results: string; jobs: number; maxQueue: number; jobTimeout: number;
      maxUploadMb: number; keepFinished?: number; tokenFile?: string; queue?: string }) => {
      // This process's young generation stays at the size it has now (2 MB semi-spaces; the flag is
      // read each time V8 would grow them). What survives a scavenge here is the state of the
      // requests in flight (long polls), copied at each one: grown to 16 MB, a scavenge came every
      // ~2 s under load and held the event loop up to 12-25 ms; at 2 MB, ~3.5 a second, most under 5 ms.
      v8.setFlagsFromString('--semi-space-growth-factor=1');
      // Loaded here: the service (fastify, metrics) would add to every other command's start-up.
      const [{ readToken }, { startService }, { RESPONSIVE_SOLVE_NICE }] = await Promise.all([import('../service/auth.js'), import('../service/service.js'), import('../pool/solvePool.js')]);
      const service = await startService({
        port: o.port, host: o.host, dataRoot: o.dataRoot, results: o.results, jobs: o.jobs, maxQueue: o.maxQueue,
        jobTimeoutSeconds: o.jobTimeout, keepFinishedSeconds: o.keepFinished === undefined ? undefined : o.keepFinished * 3600, maxUploadBytes: Math.round(o.maxUploadMb * 2 ** 20), token: readToken(o.tokenFile),
        queue: o.queue, logger: { level: process.env.MXNE_LOG_LEVEL ?? 'info' },
        // Solves below the HTTP thread's priority: the event loop answers while they run.
        solveNice: RESPONSIVE_SOLVE_NICE,
      });
      process.stderr.write(`mxne serve: listening on ${service.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stderr.write(`mxne serve: ${signal}: no new jobs; finishing running ones, keeping queued ones\n`);
          service.stop().then(resolve, resolve);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}
