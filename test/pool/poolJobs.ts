/** The demo solves the pool tests run (lib/pool): a quick one, and one that runs until cancelled. */
import * as path from 'node:path';
import type { DemoDataset } from '../../lib/demo/index.js';
import type { SolveJob } from '../../lib/workflow/solveFiles.js';
import type { SolveSummary } from '../../lib/workflow/summary.js';

/** One native solve that never converges (every source active, tol 1e-300): it runs until its cell is set. */
export const ENDLESS: SolveJob['mixedNorm'] = { alpha: 1, tol: 1e-300, maxit: 1_000_000_000, activeSetSize: null, debias: false, solver: 'bcd', dgapFreq: 1 };

/** A solve of `demo` into <tmp>/<out> (by default the seed's irMxNE: 10 iterations, ~0.1 s on 600 sources). */
export const demoJob = (demo: DemoDataset, tmp: string, out: string, mixedNorm: SolveJob['mixedNorm'] = { alpha: 50, nMxneIter: 10, weightsMin: 8, depth: 0.9, loose: 0.9 }): SolveJob => ({
  fwd: demo.fwd, evoked: demo.evoked, cov: demo.cov, out: path.join(tmp, out),
  condition: 0, baseline: [null, 0], tmin: 0, tmax: 0.3, weights: 'dspm', mixedNorm,
});

/** A summary without what differs from run to run (timings, the output folder). */
export const stable = (s: SolveSummary) => ({ ...s, timings: {}, options: { ...s.options, out: undefined } });
