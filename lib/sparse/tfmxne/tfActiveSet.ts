/**
 * MNE 1.3's _tf_mixed_norm_solver_bcd_active_set: alternate
 *   1) one BCD pass over every position (a position enters when its gradient step survives the prox),
 *   2) BCD on the active positions only, until their gap is below tol or half of them dropped out,
 *   3) the duality gap of the full problem; stop when it is below tol.
 * MNE loops until (3) holds; here `maxOuter` bounds the loop and the outcome says whether it held.
 */
import type { Matrix } from '../../linalg/matrix.js';
import { tfBcd } from './tfBcd.js';
import { tfDualGap, type TfCoefs, type TfProblem } from './tfProblem.js';

export interface TfActiveSetSettings { maxit: number; tol: number; dgapFreq: number; maxOuter: number }

export interface TfActiveSetOutcome {
  Z: TfCoefs;
  /** Primal objective at every gap check of the inner BCD runs. */
  E: number[];
  gap: number;
  converged: boolean;
  /** Active-set iterations (1–3 above). */
  nIterations: number;
  /** BCD epochs over all runs. */
  epochs: number;
}

export async function tfActiveSetSolve(p: TfProblem, Zinit: TfCoefs, s: TfActiveSetSettings): Promise<TfActiveSetOutcome> {
  const nPos = p.G.cols / p.nOrient;
  const all = Array.from({ length: nPos }, (_, j) => j);
  let Z: TfCoefs = new Map(Zinit);
  const E: number[] = [];
  let dObj = -Infinity, gap = Infinity, epochs = 0, it = 0, converged = false;
  let RtG: Matrix | undefined;
  while (it < s.maxOuter) {
    it++;
    // 1) one pass over all positions (MNE: maxit 1, so no gap check).
    epochs += (await tfBcd(p, Z, all, { maxit: 1, tol: s.tol, dgapFreq: Infinity, perc: null }, RtG)).epochs;
    // 2) the sub-problem of the active positions.
    const active = [...Z.keys()].sort((a, b) => a - b);
    if (active.length > 0) {
      const sub = subProblem(p, active);
      const Zsub: TfCoefs = new Map(active.map((pos, k) => [k, Z.get(pos)!]));
      const r = await tfBcd(sub, Zsub, active.map((_, k) => k), { maxit: s.maxit, tol: s.tol, dgapFreq: s.dgapFreq, perc: 0.5 });
      epochs += r.epochs;
      E.push(...r.E);
      Z = new Map([...Zsub].map(([k, b]) => [active[k], b]));
    }
    // 3) certify on the full problem.
    const g = await tfDualGap(p, Z, dObj);
    dObj = g.dObj;
    RtG = g.RtG;
    gap = g.gap;
    if (gap < s.tol) { converged = true; break; }
  }
  return { Z, E, gap, converged, nIterations: it, epochs };
}

/** The problem restricted to some positions (gain columns, Lipschitz constants and weights). */
export function subProblem(p: TfProblem, positions: readonly number[]): TfProblem {
  const no = p.nOrient, C = p.dict.nCoefs;
  const cols = positions.flatMap((pos) => Array.from({ length: no }, (_, o) => pos * no + o));
  const { space, time } = p.weights;
  return {
    ...p,
    G: p.G.pickCols(cols),
    lipschitz: Float64Array.from(positions, (pos) => p.lipschitz[pos]),
    weights: {
      space: space === null ? null : Float64Array.from(positions, (pos) => space[pos]),
      time: time === null ? null : Float64Array.from(positions.flatMap((pos) => Array.from(time.subarray(pos * C, (pos + 1) * C)))),
    },
  };
}
