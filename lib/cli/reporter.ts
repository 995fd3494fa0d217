/**
 * What the CLI shows while it works: a progress bar on a TTY (cli-progress), stage lines with
 * --verbose, nothing with --quiet or when stdout is not a TTY. Results go to stdout; chatter to stderr.
 */
import { SingleBar } from 'cli-progress';

export interface ReporterOptions {
  quiet: boolean;
  verbose: boolean;
  json: boolean;
}

export type Stage = 'read' | 'weights' | 'prepare' | 'solve' | 'results' | 'write' | 'simulate';

const STAGES: Stage[] = ['simulate', 'read', 'weights', 'prepare', 'solve', 'results', 'write'];

export class Reporter {
  private bar: SingleBar | null = null;
  private readonly started = Date.now();

  constructor(private readonly o: ReporterOptions) {
    if (!o.quiet && !o.json && process.stderr.isTTY) {
      this.bar = new SingleBar({ format: 'mxne {bar} {percentage}% | {stage}', stream: process.stderr, hideCursor: true, clearOnComplete: true });
      this.bar.start(STAGES.length, 0, { stage: 'starting' });
    }
  }

  stage(stage: Stage, detail = ''): void {
    this.bar?.update(STAGES.indexOf(stage), { stage: detail ? `${stage}: ${detail}` : stage });
    if (this.o.verbose) process.stderr.write(`[${((Date.now() - this.started) / 1000).toFixed(2)} s] ${stage}${detail ? `: ${detail}` : ''}\n`);
  }

  done(): void {
    this.bar?.update(STAGES.length, { stage: 'done' });
    this.bar?.stop();
    this.bar = null;
  }

  /** Human summary lines (stdout), unless --quiet or --json. */
  print(line: string): void {
    if (!this.o.quiet && !this.o.json) process.stdout.write(`${line}\n`);
  }

  /** The machine-readable summary with --json. */
  printJson(value: unknown): void {
    if (this.o.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }
}
