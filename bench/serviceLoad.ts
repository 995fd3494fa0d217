/**
 * Load test of `mxne serve` against a Python service running MNE's mixed_norm per request
 * (bench/mne_service.py), same machine, same demo recording, same seed options: `--clients`
 * concurrent clients on 127.0.0.1 submit and wait for results (long polls: GET /v1/jobs/:id?wait=30)
 * for `--seconds` each. Reports jobs
 * per minute, submit→result p50/p99, 429s, errors, the server's RSS (with its solve process) at the start (after one warm-up job
 * per worker), halfway and at the end, and the
 * longest event-loop stall of the mxne server while it solves (prom-client's
 * monitorEventLoopDelay at 1 ms resolution, read from /metrics), split as the pipeline's is: the
 * server main thread's longest CPU run between two 1 ms ticks (bench/serverLoopCpu.ts, preloaded
 * into the server), and the stall of an idle Node process over the same time (what the shared
 * machine's scheduler alone causes), and of another under SCHED_FIFO where permitted (what the
 * machine itself causes: no process can keep it from a core), measured over a further third of
 * `--seconds` of the same load, since beside the server it lengthened the server's stalls.
 *
 *   npm run bench:service -- [--seconds 60] [--clients 50] [--n-sources 2000] [--jobs 2] [--no-python]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemo } from '../lib/demo/index.js';
import { packageRoot } from '../lib/native.js';
import { startCanary } from './loopProbes.js';

function arg(name: string, fallback: number): number {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 && k + 1 < process.argv.length ? Number(process.argv[k + 1]) : fallback;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const ownRssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Process ids whose parent is `pid` (a process that ends while /proc is read is left out). */
function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // Field 4 of stat, after the command name in parentheses (which may hold spaces).
      if (Number(fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === pid) kids.push(Number(d));
    } catch { /* ended */ }
  }
  return kids;
}

/** RSS of a server and every process under it (mxne serve's solve process), MB. */
const rssMb = (pid: number): number => ownRssMb(pid) + childrenOf(pid).reduce((sum, k) => sum + rssMb(k), 0);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/** Starts a server process and resolves once it prints the line that `ready` matches (its port in group 1). */
function startServer(cmd: string, args: string[], ready: RegExp, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const on = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.on('exit', (code) => reject(new Error(`${cmd} exited (${code}): ${out.slice(-2000)}`)));
  });
}

interface Tally { results: number; latencies: number[]; tooMany: number; errors: string[] }

/** One client of the mxne service: submit, long-poll until done, fetch the result; on 429 wait Retry-After. */
async function mxneClient(base: string, body: string, end: number, t: Tally): Promise<void> {
  while (Date.now() < end) {
    const t0 = Date.now();
    try {
      const r = await fetch(`${base}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (r.status === 429) {
        t.tooMany++;
        await r.arrayBuffer();
        await sleep(Math.min(Number(r.headers.get('retry-after') ?? 1) * 1000, end - Date.now()));
        continue;
      }
      if (r.status !== 202) { t.errors.push(`POST ${r.status} ${await r.text()}`); continue; }
      const { id } = (await r.json()) as { id: string };
      for (;;) {
        // Answered when the state changes: the client learns of the end without polling for it.
        const v = (await (await fetch(`${base}/v1/jobs/${id}?wait=30`)).json()) as { state: string; error: unknown };
        if (v.state === 'done') break;
        if (v.state !== 'queued' && v.state !== 'running') { t.errors.push(`job ${v.state} ${JSON.stringify(v.error)}`); break; }
        if (Date.now() > end + 120_000) return;
      }
      const res = await fetch(`${base}/v1/jobs/${id}/result`);
      if (res.status !== 200) { t.errors.push(`result ${res.status}`); continue; }
      await res.arrayBuffer();
      if (Date.now() <= end) { t.results++; t.latencies.push(Date.now() - t0); }
    } catch (e) {
      t.errors.push(String(e));
    }
  }
}

/** One client of the Python service: the request returns the result. */
async function pythonClient(base: string, body: string, end: number, t: Tally): Promise<void> {
  while (Date.now() < end) {
    const t0 = Date.now();
    try {
      const r = await fetch(`${base}/v1/solve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(Math.max(1, end - t0)) });
      if (r.status !== 200) { t.errors.push(`POST ${r.status} ${await r.text()}`); continue; }
      await r.arrayBuffer();
      t.results++;
      t.latencies.push(Date.now() - t0);
    } catch (e) {
      // A request still waiting at the end of the run is cut there, not an error.
      if ((e as Error).name !== 'TimeoutError') t.errors.push(String(e));
    }
  }
}

/** One request before measuring (first-call costs: module loading, BLAS start-up, file cache). */
async function warmUp(url: string, body: string, settle: (r: Response) => Promise<void>): Promise<void> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (!r.ok) throw new Error(`warm-up: ${r.status} ${await r.text()}`);
  await settle(r);
}

/** The server's longest main-thread CPU run since the previous call (bench/serverLoopCpu.ts), ms. */
async function loopCpuMs(child: ChildProcess, file: string): Promise<number> {
  fs.rmSync(file, { force: true });
  child.kill('SIGUSR2');
  for (const give = Date.now() + 5000; !fs.existsSync(file); await sleep(10)) {
    if (Date.now() > give) throw new Error('the server did not answer SIGUSR2 (bench/serverLoopCpu.ts not loaded?)');
  }
  return Number(fs.readFileSync(file, 'utf8'));
}

async function stallMs(base: string): Promise<number> {
  const m = /^mxne_nodejs_eventloop_lag_max_seconds (\S+)/m.exec(await (await fetch(`${base}/metrics`)).text());
  return Number(m![1]) * 1000;
}

function report(name: string, t: Tally, seconds: number, extra: Record<string, string>): Record<string, string> {
  return {
    service: name,
    'jobs/min': (t.results / (seconds / 60)).toFixed(1),
    'p50 submit→result s': (quantile(t.latencies, 0.5) / 1000).toFixed(2),
    'p99 submit→result s': (quantile(t.latencies, 0.99) / 1000).toFixed(2),
    '429s': String(t.tooMany),
    errors: String(t.errors.length),
    ...extra,
  };
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 60), clients = arg('clients', 50), nSources = arg('n-sources', 2000), jobs = arg('jobs', 2);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-service-load-'));
  const rows: Record<string, string>[] = [];
  try {
    const demo = await generateDemo({ outDir: path.join(tmp, 'data'), nSources, seed: 42 });
    const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');

    // mxne serve: the HTTP process and its solve process (--jobs worker threads).
    const main = path.join(packageRoot(), 'dist', 'lib', 'cli', 'main.js');
    const loopCpuFile = path.join(tmp, 'loop-cpu');
    const mx = await startServer(process.execPath, ['--require', path.join(packageRoot(), 'dist', 'bench', 'serverLoopCpu.js'), main, 'serve', '--port', '0', '--data-root', demo.dir, '--results', path.join(tmp, 'results'), '--jobs', String(jobs), '--max-queue', '32'],
      /listening on http:\/\/127\.0\.0\.1:(\d+)/, { MXNE_LOG_LEVEL: 'warn', MXNE_BENCH_LOOP_CPU: loopCpuFile });
    const base = `http://127.0.0.1:${mx.port}`;
    const body = JSON.stringify({ fwd: 'demo-fwd.fif', evoked: 'demo-ave.fif', cov: 'demo-cov.fif' });
    // One warm-up job per worker at once, so that every worker has loaded its code and BLAS and
    // holds the subject's preparation before the RSS at the start is read.
    await Promise.all(Array.from({ length: jobs }, () => warmUp(`${base}/v1/jobs`, body, async (r) => {
      const { id } = (await r.json()) as { id: string };
      while (((await (await fetch(`${base}/v1/jobs/${id}`)).json()) as { state: string }).state !== 'done') await sleep(100);
    })));
    const rss0 = rssMb(mx.child.pid!);
    // Halfway through: the RSS a leak would keep adding to (the first jobs' heap growth is behind it).
    let rssMid = NaN;
    const midway = setTimeout(() => { rssMid = rssMb(mx.child.pid!); }, (seconds * 1000) / 2);
    await stallMs(base); // resets the histogram: the maximum below is the run's
    await loopCpuMs(mx.child, loopCpuFile); // and this window
    const canary = startCanary();
    await canary.read();
    const t: Tally = { results: 0, latencies: [], tooMany: 0, errors: [] };
    const end = Date.now() + seconds * 1000;
    await Promise.all(Array.from({ length: clients }, () => mxneClient(base, body, end, t)));
    const stall = await stallMs(base);
    const loopCpu = await loopCpuMs(mx.child, loopCpuFile);
    const idleStall = await canary.read();
    canary.stop();
    const rss1 = rssMb(mx.child.pid!);
    // The machine's own floor, under the same load but after the window above: run inside it, this
    // SCHED_FIFO process made the server's HTTP thread wait up to 45 ms in the run queue, against
    // 14-19 ms without it, in interleaved 40-60 s runs.
    const hostCanary = startCanary({ realtime: true });
    await hostCanary.read();
    await Promise.all(Array.from({ length: clients }, () => mxneClient(base, body, Date.now() + (seconds * 1000) / 3, { results: 0, latencies: [], tooMany: 0, errors: [] })));
    const hostStall = await hostCanary.read();
    hostCanary.stop();
    clearTimeout(midway);
    mx.child.kill('SIGTERM');
    rows.push(report(`mxne serve --jobs ${jobs}`, t, seconds, { 'RSS start→end MB': `${rss0.toFixed(0)} → ${rss1.toFixed(0)} (halfway ${rssMid.toFixed(0)})`, 'longest event-loop stall ms': stall.toFixed(1), 'longest main-thread CPU run ms': loopCpu.toFixed(1), 'same, idle Node process alongside ms': idleStall.toFixed(1), 'same, at real-time priority ms': Number.isNaN(hostStall) ? '— (needs CAP_SYS_NICE)' : hostStall.toFixed(1) }));
    if (t.errors.length) console.error('mxne errors:', t.errors.slice(0, 5));
    await new Promise((r) => mx.child.once('exit', r));

    if (!process.argv.includes('--no-python')) {
      const py = await startServer('/usr/bin/python3', [path.join(packageRoot(), 'bench', 'mne_service.py')], /listening on (\d+)/, {});
      const pbase = `http://127.0.0.1:${py.port}`;
      const pbody = JSON.stringify({ fwd: demo.fwd, evoked: demo.evoked, cov: demo.cov });
      await warmUp(`${pbase}/v1/solve`, pbody, async (r) => { await r.arrayBuffer(); });
      const prss0 = rssMb(py.child.pid!);
      const pt: Tally = { results: 0, latencies: [], tooMany: 0, errors: [] };
      const pend = Date.now() + seconds * 1000;
      await Promise.all(Array.from({ length: clients }, () => pythonClient(pbase, pbody, pend, pt)));
      const prss1 = rssMb(py.child.pid!);
      py.child.kill('SIGTERM');
      rows.push(report('Python http.server + MNE mixed_norm', pt, seconds, { 'RSS start→end MB': `${prss0.toFixed(0)} → ${prss1.toFixed(0)}`, 'longest event-loop stall ms': '—', 'longest main-thread CPU run ms': '—', 'same, idle Node process alongside ms': '—', 'same, at real-time priority ms': '—' }));
      if (pt.errors.length) console.error('python errors:', pt.errors.slice(0, 5));
      rows.push({ service: 'ratio (jobs/min)', 'jobs/min': `${(Number(rows[0]['jobs/min']) / Number(rows[1]['jobs/min'])).toFixed(1)}×` });
    }
    console.log(`\n${clients} clients, ${seconds} s each side, demo recording (${demo.nSources} sources, ${demo.nChannels} channels); load average at start ${load}, at end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
    const cols = Object.keys(rows[0]);
    console.log(`| ${cols.join(' | ')} |\n| ${cols.map(() => '---').join(' | ')} |`);
    for (const r of rows) console.log(`| ${cols.map((c) => r[c] ?? '').join(' | ')} |`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
