/**
 * How the whitener W meets the forward's gain G: W is spread over the forward's row order (the
 * gain is never copied row by row), and W·G runs as one GEMM per channel group where the groups'
 * rows form ranges, split across two threads for wide products.
 */
import { splitsInTwo } from '../linalg/blas.js';
import { Matrix } from '../linalg/matrix.js';
import { addon, callAsync } from '../native.js';
import type { PreparedNoiseCov } from './whitener.js';

/**
 * How W·G runs: columns [c0, c1) of G (all forward rows) into `out` (W.rows × (c1 − c0), packed).
 * `maySplit` false: the caller already runs two of these at once (prepareForwardColumns's lanes).
 */
export interface WhitenPlan {
  whiten(G: Matrix, c0: number, c1: number, out: Float64Array, maySplit?: boolean): Promise<void>;
}

/**
 * W over the chosen channels times G over all forward rows. The whitener is block-diagonal by
 * channel group (MEG, EEG: cross terms ignored, as MNE), so when each group's whitener rows and
 * forward rows form ranges, one GEMM per group skips the zero blocks (~28 % of the flops with
 * 306 MEG + 60 EEG channels). Otherwise one GEMM with W spread over the forward's rows.
 */
export function whitenPlan(W: Matrix, wRowChannel: number[], nc: PreparedNoiseCov, rows: Int32Array, nFwdRows: number): WhitenPlan {
  const Ws = spread(W, rows, nFwdRows);
  const blocks = nc.groups.map(({ picks }) => {
    const inGroup = new Set(picks);
    const wr = rowsIn(wRowChannel, inGroup);
    const fr = picks.map((c) => rows[c]);
    return { w0: Math.min(...wr), w1: Math.max(...wr) + 1, wn: wr.length, f0: Math.min(...fr), f1: Math.max(...fr) + 1 };
  });
  const ranges = blocks.every((b) => b.wn === 0 || b.w1 - b.w0 === b.wn)
    && blocks.every((a, i) => blocks.every((b, j) => i === j || a.f1 <= b.f0 || b.f1 <= a.f0));
  const m = W.rows;
  if (!ranges || blocks.some((b) => b.wn === 0)) {
    return { whiten: async (G, c0, c1, out) => { await callAsync(() => addon.gemmBlockAsync(m, c1 - c0, G.rows, 1, Ws.data, 0, Ws.rows, G.data, c0 * G.rows, G.rows, 0, out, 0, m)); } };
  }
  // Whitener rows no group writes (zero rows of W) must read as zeros in a reused buffer.
  const covered = blocks.reduce((k, b) => k + b.wn, 0) === m;
  const big = blocks.reduce((a, b) => ((b.w1 - b.w0) * (b.f1 - b.f0) > (a.w1 - a.w0) * (a.f1 - a.f0) ? b : a));
  return {
    whiten: async (G, c0, c1, out, maySplit = true) => {
      if (!covered) out.fill(0);
      // A large product: the large (MEG) block also in two column halves, so that it runs on two
      // cores when they are free (a lone preparation; one BLAS thread per job).
      const split = maySplit && splitsInTwo((big.w1 - big.w0) * (big.f1 - big.f0) * (c1 - c0));
      const mid = (c0 + c1) >> 1;
      const halves = split ? [[c0, mid], [mid, c1]] : [[c0, c1]];
      await Promise.all(blocks.flatMap((b) => (b === big ? halves : [[c0, c1]]).map(([a, e]) => callAsync(() => addon.gemmBlockAsync(b.w1 - b.w0, e - a, b.f1 - b.f0, 1,
        Ws.data, b.w0 + b.f0 * Ws.rows, Ws.rows, G.data, b.f0 + a * G.rows, G.rows, 0, out, b.w0 + (a - c0) * m, m)))));
    },
  };
}

/** W over chosen channels → the same rows over all `nRows` forward rows (zero columns elsewhere). */
export function spread(W: Matrix, rows: Int32Array, nRows: number): Matrix {
  const out = new Matrix(W.rows, nRows);
  for (let c = 0; c < rows.length; c++) out.data.set(W.col(c), rows[c] * W.rows);
  return out;
}

/** Positions r of `channels` whose channel is in `group`. */
function rowsIn(channels: readonly number[], group: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (let r = 0; r < channels.length; r++) if (group.has(channels[r])) out.push(r);
  return out;
}
