/**
 * Figures rendered in a worker thread (piscina). vega is single-threaded JavaScript, and loading
 * it plus drawing a solve's butterflies costs more CPU than the solve itself; in a worker the
 * figures draw beside other work (the CLI starts the evoked's butterflies while it reads and
 * solves), and the main thread never loads vega. One thread: a second would load vega again
 * (~0.2 s of CPU) and pay only on an idle machine.
 */
import * as path from 'node:path';
import { Piscina } from 'piscina';
import type { TopLevelSpec } from 'vega-lite';

export class FigureThread {
  private readonly pool: Piscina<TopLevelSpec, string>;

  constructor() {
    this.pool = new Piscina({ filename: path.join(__dirname, 'svgWorker.js'), minThreads: 1, maxThreads: 1 });
  }

  /** The spec's SVG (renderSvg in a worker). */
  readonly render = (spec: TopLevelSpec): Promise<string> => this.pool.run(spec);

  /** Stops the thread; renders still queued or running reject. */
  close(): Promise<void> {
    return this.pool.destroy();
  }
}
