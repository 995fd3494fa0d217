/** `mxne worker`: solves jobs of `mxne serve --queue` from Redis until SIGTERM or SIGINT (then finishes its running jobs). */
import { Command } from 'commander';
import * as os from 'node:os';
import * as parse from './parsers.js';

export function workerCommand(): Command {
  return new Command('worker')
    .description('Solve the jobs of `mxne serve --queue redis://…` (any number of workers, on any machines sharing --results)')
    .requiredOption('--queue <redis-url>', 'redis://HOST:PORT, as given to mxne serve')
    .option('--results <dir>', 'the results folder mxne serve uses (shared, e.g. over NFS)', 'mxne-results')
    .option('--jobs <n>', 'solves side by side (one BLAS thread each)', parse.positiveInteger, os.availableParallelism())
    .option('--max-retries <n>', 'times a job whose worker died is run again before it fails', parse.nonNegativeInteger, 2)
    .option('--lock-seconds <s>', 'a worker silent this long is taken for dead and its job retried', parse.positiveNumber, 30)
    .option('--job-timeout <seconds>', 'a running job is stopped after this long', parse.positiveNumber, 900)
    .action(async (o: { queue: string; results: string; jobs: number; maxRetries: number; lockSeconds: number; jobTimeout: number }) => {
      // Loaded here: BullMQ and ioredis would add ~0.2 s to every other command's start-up.
      const [{ startWorker }, { RESPONSIVE_SOLVE_NICE }] = await Promise.all([import('../service/redisWorker.js'), import('../pool/solvePool.js')]);
      const worker = await startWorker({ url: o.queue, results: o.results, jobs: o.jobs, maxRetries: o.maxRetries, lockSeconds: o.lockSeconds, timeoutSeconds: o.jobTimeout,
        // Solves below the main thread's priority: BullMQ's lock renewals run on time.
        solveNice: RESPONSIVE_SOLVE_NICE });
      process.stderr.write(`mxne worker: taking jobs from ${o.queue}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => { worker.close().then(resolve, resolve); };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      process.stderr.write('mxne worker: stopped\n');
      // Stopped with Redis unreachable, BullMQ's connections may still hold timers: nothing is left to do.
      process.exit(process.exitCode ?? 0);
    });
}
