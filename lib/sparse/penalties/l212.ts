/**
 * The joint multi-condition penalty (`jointConditions`; Gramfort et al. 2012's three-level mixed
 * norm with its middle level an ℓ2 over conditions): for sources X_c (one matrix per condition, the
 * same sources), P = Σ_j √(Σ_c ‖X_{j,c}‖²_F) — ℓ2 over each condition's orientations and times, ℓ2
 * across conditions, ℓ1 over sources. A source is active in every condition or in none; its time
 * courses are free per condition. (The paper's variant with an ℓ1 across conditions promotes
 * condition-specific, non-overlapping supports instead.) Stacking the conditions' time samples side
 * by side makes each source's block the concatenation of its per-condition blocks, so value, prox and
 * dual norm are L2,1's on the stacked matrix and the native BCD solves it unchanged; this file keeps
 * the condition layout and the duality gap that certifies the joint problem.
 * Sources are stored transposed, as in l21.ts: Xt_c is T_c × n.
 */
import { gemm } from '../../linalg/blas.js';
import { Matrix } from '../../linalg/matrix.js';
import { dot, groupsNorm2 } from '../groupNorms.js';

/** Σ_c ‖block j of Xt_c‖²_F per source j. */
function jointNorm2(Xts: readonly Matrix[], nOrient: number): Float64Array {
  const out = groupsNorm2(Xts[0], nOrient);
  for (const Xt of Xts.slice(1)) groupsNorm2(Xt, nOrient).forEach((v, j) => { out[j] += v; });
  return out;
}

/** Σ_j √(Σ_c ‖X_{j,c}‖²_F). */
export function l212Value(Xts: readonly Matrix[], nOrient: number): number {
  let s = 0;
  for (const v of jointNorm2(Xts, nOrient)) s += Math.sqrt(v);
  return s;
}

/** max_j √(Σ_c ‖A_{j,c}‖²_F): the dual norm (alpha_max when A_c = GᵀM_c). */
export function l212DualNorm(Ats: readonly Matrix[], nOrient: number): number {
  let m = 0;
  for (const v of jointNorm2(Ats, nOrient)) m = Math.max(m, v);
  return Math.sqrt(m);
}

/** prox of step·P on one source: its per-condition blocks shrunk by one common factor, in place. */
export function l212ProxBlock(blocks: Float64Array[], step: number): Float64Array[] {
  let n2 = 0;
  for (const b of blocks) n2 += dot(b, b);
  const norm = Math.sqrt(n2);
  const shrink = norm <= step ? 0 : 1 - step / norm;
  for (const b of blocks) for (let k = 0; k < b.length; k++) b[k] *= shrink;
  return blocks;
}

export interface JointGap { primal: number; dual: number; gap: number }

/**
 * Duality gap of min Σ_c ½‖M_c − G X_c‖² + α P(X) (MNE's dgap_l21 with the joint dual norm):
 * the dual point is the residual scaled into the dual ball, R·min(1, α / P*(GᵀR)).
 * G: m × n; Ms[c]: m × T_c; Xs[c]: n × T_c (all sources, zero rows off the support).
 */
export function l212DualGap(G: Matrix, Ms: readonly Matrix[], Xs: readonly Matrix[], alpha: number, nOrient: number): JointGap {
  let nR2 = 0, rGX = 0;
  const GtRs: Matrix[] = [];
  Ms.forEach((M, c) => {
    const GX = gemm(G, Xs[c]);
    const R = M.clone();
    for (let k = 0; k < R.data.length; k++) R.data[k] -= GX.data[k];
    nR2 += dot(R.data, R.data);
    rGX += dot(R.data, GX.data);
    GtRs.push(gemm(R, G, { transA: true }));
  });
  const primal = 0.5 * nR2 + alpha * l212Value(Xs.map((X) => X.transpose()), nOrient);
  const dualNorm = l212DualNorm(GtRs, nOrient);
  const scaling = dualNorm === 0 ? 1 : Math.min(1, alpha / dualNorm);
  const dual = (scaling - 0.5 * scaling ** 2) * nR2 + scaling * rGX;
  return { primal, dual, gap: primal - dual };
}
