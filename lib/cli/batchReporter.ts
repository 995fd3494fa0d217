/**
 * What `mxne batch` shows while it works: on a terminal a cli-progress bar with done / failed /
 * running and an ETA (stderr); with --json one JSON line per finished row on stdout; otherwise
 * one line per finished row on stderr (a log of a cluster job).
 */
import type { SingleBar } from 'cli-progress';
import type { BatchEvent } from '../batch/runBatch.js';
import type { RowRecord } from '../batch/tables.js';
import { PROGRESS_PREFIX, progressBar } from './reporter.js';

export class BatchReporter {
  private bar: SingleBar | null = null;
  private readonly started = Date.now();
  private running = 0;
  private failed = 0;
  private finished = 0;

  constructor(private readonly o: { json: boolean; quiet: boolean }, private readonly err: NodeJS.WriteStream = process.stderr) {}

  /** Says something about the run (the slice taken, rows skipped) on stderr. */
  note(text: string): void {
    if (!this.o.quiet) this.err.write(`${PROGRESS_PREFIX}${((Date.now() - this.started) / 1000).toFixed(2)} s] ${text}\n`);
  }

  event(e: BatchEvent): void {
    if (e.type === 'start') {
      if (e.skipped > 0) this.note(`${e.skipped} of ${e.total} rows done before (their done sidecar): skipped; --force redoes them`);
      if (!this.o.quiet && this.err.isTTY) {
        this.bar = progressBar({
          format: 'mxne batch {bar} {value}/{total} | failed {failed} | running {running} | ETA {eta_formatted}',
          stream: this.err, hideCursor: true, clearOnComplete: true, etaBuffer: 20,
        });
        this.bar.start(e.total - e.skipped, 0, { failed: 0, running: 0 });
      }
      return;
    }
    if (e.type === 'running') this.running++;
    else this.rowDone(e.record);
    this.bar?.update(this.finished, { failed: this.failed, running: this.running });
  }

  private rowDone(r: RowRecord): void {
    this.running = Math.max(0, this.running - 1);
    this.finished++;
    if (r.status === 'failed') this.failed++;
    if (this.o.json) process.stdout.write(`${JSON.stringify(r)}\n`);
    else if (!this.bar) this.note(`${r.id}: ${r.status === 'failed' ? `FAILED: ${r.error}` : `${r.dipoles} dipole(s), ${r.explainedVariance?.toFixed(1)} % explained, ${r.seconds?.toFixed(1)} s`}`);
  }

  done(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
