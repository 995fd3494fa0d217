/**
 * Automatic alpha by SURE, as MNE 1.3's `_compute_mxne_sure` (Deledalle et al. 2014): for each
 * alpha of the grid, solve on M and on M + ε·δ (δ standard normal, ε = 2σ/n^0.3), estimate the
 * degrees of freedom by the finite difference, and keep the alpha with the smallest risk
 * ‖M − G X‖² − n·T·σ² + 2·dof·σ². MxNE runs first on the whole grid (warm start), then irMxNE
 * continues from its weights. As in MNE, a later irMxNE solution is written over the warm-start
 * rows it covers only, so rows it drops keep their MxNE values in the risk estimate.
 */
import { gemm } from '../linalg/blas.js';
import { Matrix } from '../linalg/matrix.js';
import { solveIrMxne } from './iterativeMixedNormSolver.js';
import { prepareL21, solveMxne, type L21Data, type L21Options } from './mixedNormSolver.js';
import { NumpyRandomState } from './numpyRandom.js';
import { l05Reweight } from './penalties/l05.js';

export interface SureResult {
  X: Matrix;
  activeSet: Int32Array;
  bestAlpha: number;
  /** Risk per alpha of the grid. */
  surePath: Float64Array;
  /** Per alpha of the grid: whether every solve behind its risk (on M and on M + εδ) converged. */
  converged: boolean[];
  /** Duality gap of the chosen alpha's solve on M. */
  gap: number;
  epochs: number;
}

/** One grid point's solution over all columns: X (n × T, zero rows off the active set). */
interface GridSolution { X: Matrix; active: Int32Array; converged: boolean; gap: number; epochs: number }

export async function sureAlpha(M: Matrix, G: Matrix, grid: Float64Array, nMxneIter: number, o: L21Options, randomState: number | null, sigma = 1): Promise<SureResult> {
  const n = G.cols, T = M.cols, m = M.rows;
  const rng = new NumpyRandomState(randomState ?? Math.floor(Math.random() * 0x100000000));
  const eps = (2 * sigma) / m ** 0.3;
  // delta = randn(*M.shape): drawn in C (row-major) order.
  const draws = rng.randn(m * T);
  const delta = new Matrix(m, T);
  for (let i = 0; i < m; i++) for (let t = 0; t < T; t++) delta.data[i + t * m] = draws[i * T + t];
  const Meps = M.clone();
  for (let k = 0; k < Meps.data.length; k++) Meps.data[k] += eps * delta.data[k];

  const dataM = await prepareL21(M, G, o.nOrient, o.signal), dataEps = await prepareL21(Meps, G, o.nOrient, o.signal);
  // Progress says which of the grid's solves runs (two per alpha, twice with reweighting).
  let solveIndex = 0;
  const solveCount = 2 * grid.length * (nMxneIter > 1 ? 2 : 1);
  const step = (alpha: number): L21Options => {
    const solve = { index: ++solveIndex, count: solveCount, alpha };
    return o.onProgress === undefined ? o : { ...o, onProgress: (p) => o.onProgress!({ ...p, solve }) };
  };
  const mxneAt = async (d: L21Data, alpha: number): Promise<GridSolution> => {
    const r = await solveMxne(d, alpha, step(alpha));
    return { X: scatter(r.X, r.activeSet, n, T), active: r.activeSet, converged: r.converged && (r.debias?.converged ?? true), gap: r.gap, epochs: r.epochs };
  };
  const sols: GridSolution[] = [], solsEps: GridSolution[] = [];
  for (const alpha of grid) {
    sols.push(await mxneAt(dataM, alpha));
    solsEps.push(await mxneAt(dataEps, alpha));
  }
  if (nMxneIter > 1) {
    for (let j = 0; j < grid.length; j++) {
      for (const [list, data] of [[sols, M], [solsEps, Meps]] as const) {
        const s = list[j];
        const o2 = step(grid[j]);
        if (s.active.length === 0) continue;
        const w = l05Reweight(s.X.transpose(), o.nOrient);
        const r = await solveIrMxne(data, G, grid[j], nMxneIter - 1, o2, w);
        // Written over the rows of the new active set only (MNE: coefs_grid[j][a_set, :] = X).
        r.activeSet.forEach((col, i) => { for (let t = 0; t < T; t++) s.X.data[col + t * n] = r.X.data[i + t * r.X.rows]; });
        list[j] = { X: s.X, active: r.activeSet, converged: s.converged && r.converged && (r.debias?.converged ?? true), gap: r.gap, epochs: s.epochs + r.epochs };
      }
    }
  }

  const surePath = new Float64Array(grid.length);
  for (let j = 0; j < grid.length; j++) {
    const diff = sols[j].X.clone();
    for (let k = 0; k < diff.data.length; k++) diff.data[k] = solsEps[j].X.data[k] - diff.data[k];
    const Gd = gemm(G, diff);
    let dof = 0;
    for (let k = 0; k < Gd.data.length; k++) dof += Gd.data[k] * delta.data[k];
    dof /= eps;
    const R = M.clone();
    gemm(G, sols[j].X, { alpha: -1, beta: 1, out: R });
    let df = 0;
    for (const v of R.data) df += v * v;
    surePath[j] = df - m * T * sigma ** 2 + 2 * dof * sigma ** 2;
  }
  let best = 0;
  for (let j = 1; j < grid.length; j++) if (surePath[j] < surePath[best]) best = j;
  const active = sols[best].active;
  const converged = sols.map((s, j) => s.converged && solsEps[j].converged);
  return { X: sols[best].X.pickRows(active), activeSet: active, bestAlpha: grid[best], surePath, converged, gap: sols[best].gap, epochs: sols.reduce((e, s, j) => e + s.epochs + solsEps[j].epochs, 0) };
}

function scatter(X: Matrix, active: Int32Array, n: number, T: number): Matrix {
  const out = new Matrix(n, T);
  active.forEach((col, i) => { for (let t = 0; t < T; t++) out.data[col + t * n] = X.data[i + t * X.rows]; });
  return out;
}
