/**
 * What the CLI shows while it works, on stderr (results go to stdout): on a terminal a progress
 * bar with the stage and the time spent (cli-progress); elsewhere (a log, a pipe, a batch job) one
 * line per stage; with --verbose one line per stage with its time everywhere; nothing with --quiet.
 * Inside a solve, progress (reweighting k of n, SURE solve k of n, the gap) updates the bar's text;
 * as lines, at most one every LINE_INTERVAL_MS, so a long run shows it is alive without flooding a log.
 */
import type { Options as BarOptions, SingleBar } from 'cli-progress';
import type { SolveProgress } from '../sparse/solverOptions.js';

export interface ReporterOptions {
  quiet: boolean;
  verbose: boolean;
  json: boolean;
}

export type Stage = 'read' | 'weights' | 'prepare' | 'solve' | 'results' | 'write' | 'simulate';

const STAGES: Stage[] = ['simulate', 'read', 'weights', 'prepare', 'solve', 'results', 'write'];

const LINE_INTERVAL_MS = 2000;

/** Lines of progress start with this, errors with 'mxne: ' (tests and log filters tell them apart). */
export const PROGRESS_PREFIX = 'mxne [';

/**
 * A cli-progress bar, the package loaded only when a bar is drawn: requiring it (string-width and
 * its emoji tables) costs ~40 ms of CPU, which every `mxne solve` without a terminal (a batch row,
 * a pipe, --quiet) paid at start-up for nothing.
 */
export function progressBar(options: BarOptions): SingleBar {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SingleBar: Bar } = require('cli-progress') as typeof import('cli-progress');
  return new Bar(options);
}

export class Reporter {
  private bar: SingleBar | null = null;
  private readonly lines: boolean;
  private readonly started = Date.now();
  /** The stage in progress ('starting' before the first). */
  current = 'starting';
  private lastLine = 0;

  constructor(private readonly o: ReporterOptions, private readonly err: NodeJS.WriteStream = process.stderr) {
    const tty = !!err.isTTY;
    this.lines = !o.quiet && (o.verbose || !tty);
    if (!o.quiet && !o.verbose && tty) {
      this.bar = progressBar({ format: 'mxne {bar} {percentage}% | {stage} | {duration_formatted}', stream: err, hideCursor: true, clearOnComplete: true });
      this.bar.start(STAGES.length, 0, { stage: 'starting' });
    }
  }

  stage(stage: Stage, detail = ''): void {
    this.current = detail ? `${stage}: ${detail}` : stage;
    this.bar?.update(STAGES.indexOf(stage), { stage: this.current });
    if (this.lines) this.line(this.current);
  }

  /** Where the current stage is (e.g. "reweighting 3 of 10, gap 2.1e-4"), shown after the stage. */
  progress(detail: string): void {
    const text = `${this.current} · ${detail}`;
    this.bar?.update({ stage: text });
    if (this.lines && Date.now() - this.lastLine >= LINE_INTERVAL_MS) this.line(text);
  }

  private line(text: string): void {
    this.lastLine = Date.now();
    this.err.write(`${PROGRESS_PREFIX}${((this.lastLine - this.started) / 1000).toFixed(2)} s] ${text}\n`);
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

/** A solver's progress in words: which solve of SURE's grid, or which reweighting / active-set iteration; the gap. */
export function describeProgress(p: SolveProgress, nMxneIter: number): string {
  const gap = `gap ${p.gap.toExponential(1)}`;
  if (p.solve) return `SURE solve ${p.solve.index} of ${p.solve.count} (alpha ${p.solve.alpha.toFixed(1)} %), ${gap}`;
  return `${nMxneIter > 1 ? `reweighting ${p.outer} of ${nMxneIter}` : `active-set iteration ${p.outer}`}, ${gap}`;
}
