/**
 * What the CLI shows while it works, on stderr (results go to stdout): on a terminal a progress
 * bar with the stage and the time spent (cli-progress); elsewhere (a log, a pipe, a batch job) one
 * line per stage; with --verbose one line per stage with its time everywhere; nothing with --quiet.
 * Progress is per stage: a solve is one native call, so there is nothing finer to show yet.
 */
import { SingleBar } from 'cli-progress';

export interface ReporterOptions {
  quiet: boolean;
  verbose: boolean;
  json: boolean;
}

export type Stage = 'read' | 'weights' | 'prepare' | 'solve' | 'results' | 'write' | 'simulate';

const STAGES: Stage[] = ['simulate', 'read', 'weights', 'prepare', 'solve', 'results', 'write'];

/** Lines of progress start with this, errors with 'mxne: ' (tests and log filters tell them apart). */
export const PROGRESS_PREFIX = 'mxne [';

export class Reporter {
  private bar: SingleBar | null = null;
  private readonly lines: boolean;
  private readonly started = Date.now();
  /** The stage in progress ('starting' before the first). */
  current = 'starting';

  constructor(private readonly o: ReporterOptions, private readonly err: NodeJS.WriteStream = process.stderr) {
    const tty = !!err.isTTY;
    this.lines = !o.quiet && (o.verbose || !tty);
    if (!o.quiet && !o.verbose && tty) {
      this.bar = new SingleBar({ format: 'mxne {bar} {percentage}% | {stage} | {duration_formatted}', stream: err, hideCursor: true, clearOnComplete: true });
      this.bar.start(STAGES.length, 0, { stage: 'starting' });
    }
  }

  stage(stage: Stage, detail = ''): void {
    this.current = detail ? `${stage}: ${detail}` : stage;
    this.bar?.update(STAGES.indexOf(stage), { stage: this.current });
    if (this.lines) this.err.write(`${PROGRESS_PREFIX}${((Date.now() - this.started) / 1000).toFixed(2)} s] ${this.current}\n`);
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
