/**
 * The mxne side of `npm run bench:cohort`: `mxne batch MANIFEST --out DIR --jobs N` in this process
 * (its workers are threads of it, so VmHWM is the whole run's peak), then one JSON line:
 * {"seconds", "cpuSeconds", "code", "maxRssMb"}. Usage: node dist/bench/cohortMxne.js MANIFEST DIR JOBS [mxne batch flags]
 */
import { main } from '../lib/cli/main.js';
import { peakRssMb } from './mxneSide.js';

async function run(): Promise<void> {
  const [manifest, out, jobs, ...more] = process.argv.slice(2);
  const t0 = performance.now();
  const code = await main(['node', 'mxne', 'batch', manifest, '--out', out, '--jobs', jobs, '-q', ...more]);
  const cpu = process.cpuUsage(); // all threads of the process: the workers' and libuv's included
  process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, code, maxRssMb: peakRssMb() })}\n`);
}

run().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
