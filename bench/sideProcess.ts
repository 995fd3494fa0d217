/**
 * One benchmark side (mxne in Node, or MNE in Python) as a child process speaking line-delimited
 * JSON on stdin/stdout: it loads and warms up, prints {"ready": true, "blasThreads"}; each "run"
 * line answers {"seconds", "check", "stages"} (or "error"); "probe" is a run with the event-loop
 * monitor on (mxne only); "quit" answers {"maxRssMb"} (the process's peak RSS, VmHWM) and exits.
 * Lines not starting with "{" are the libraries' chatter and are ignored.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as readline from 'node:readline';

export interface RunReply {
  seconds: number;
  check: unknown;
  stages?: Record<string, number>;
  error?: string;
  loopMaxMs?: number;
  loopP99Ms?: number;
  loopMeanMs?: number;
  /** Longest main-thread CPU time between two 1 ms ticks (schedstat): the stall without the waits for a core. */
  loopCpuMaxMs?: number;
}

export interface ReadyReply { ready: boolean; blasThreads?: number | null; blasCore?: string | null; error?: string }

export class SideProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  private readonly exited: Promise<number | null>;
  private stderr = '';

  constructor(readonly name: string, command: string, args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-4000); });
    this.child.stdin.on('error', () => {});  // EPIPE when the child died; reported by reply()
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code) => resolve(code));
      this.child.on('error', (e) => { this.stderr += `\n${e.message}`; resolve(null); });
    });
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  private async reply<T>(): Promise<T> {
    for (;;) {
      const next = await this.lines.next();
      if (next.done) throw new Error(`${this.name} side exited: ${this.stderr.trim().split('\n').slice(-5).join(' | ')}`);
      const line = next.value.trim();
      if (line.startsWith('{')) return JSON.parse(line) as T;
    }
  }

  /** Waits for load + warm-up; throws when the side could not even set up the workload. */
  async ready(): Promise<ReadyReply> {
    const r = await this.reply<ReadyReply>();
    if (!r.ready) throw new Error(`${this.name} side failed to start: ${r.error ?? 'unknown error'}`);
    return r;
  }

  async run(): Promise<RunReply> {
    this.child.stdin.write('run\n');
    return this.reply<RunReply>();
  }

  async probe(): Promise<RunReply> {
    this.child.stdin.write('probe\n');
    return this.reply<RunReply>();
  }

  /** Peak RSS of the whole process lifetime, MB; waits for the process to exit. */
  async quit(): Promise<number> {
    this.child.stdin.write('quit\n');
    const r = await this.reply<{ maxRssMb: number }>();
    this.child.stdin.end();
    await this.exited;
    return r.maxRssMb;
  }

  /** For failures: stop this side's own process (by its pid only). */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
