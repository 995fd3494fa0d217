/**
 * MNE 1.3's `_mixed_norm_solver_bcd` in Gram form. On an active set of a columns the solver
 * only needs GᵀG (a × a) and GᵀM, so a block update costs O(a·o·T) instead of O(m·o·T), and the
 * duality gap needs no residual at all:
 *   ‖R‖² = ‖M‖² − ⟨X, GᵀM⟩ − ⟨X, GᵀR⟩,  ⟨R, GX⟩ = ⟨X, GᵀR⟩.
 * The iteration is MNE's step for step: cyclic proximal block updates with per-block Lipschitz
 * constants, the gap every `dgapFreq` epochs against the best dual objective so far, and
 * Anderson acceleration (K = 5) kept only when it lowers the objective (with MNE's in-place
 * squaring of the candidate, see below).
 * Sources are stored transposed (T × a Matrix), so each block is contiguous.
 */
import { gemm } from '../linalg/blas.js';
import { Matrix } from '../linalg/matrix.js';
import { andersonWeights } from './anderson.js';
import { dot, groupsNorm2 } from './groupNorms.js';

export interface GramProblem {
  /** a × a, G_Aᵀ G_A. */
  GtG: Matrix;
  /** T × a, (G_Aᵀ M)ᵀ. */
  GtMt: Matrix;
  /** ‖M‖²_F. */
  normM2: number;
  nOrient: number;
}

export interface BcdOptions {
  alpha: number;
  /** One Lipschitz constant per block (‖G_jᵀG_j‖₂). */
  lipschitz: Float64Array;
  maxit: number;
  tol: number;
  dgapFreq: number;
  /** Warm start (T × a), or null for zeros. */
  init: Matrix | null;
  anderson: boolean;
}

export interface BcdResult {
  /** T × a; rows of inactive blocks are zero. */
  Xt: Matrix;
  /** Per column of the active set: 1 when its block is non-zero. */
  active: Uint8Array;
  /** Primal objective at each gap check. */
  E: number[];
  gap: number;
  converged: boolean;
  epochs: number;
}

const K = 5;

export function bcdGram(p: GramProblem, o: BcdOptions): BcdResult {
  const { GtG, GtMt, nOrient } = p;
  const a = GtG.rows, T = GtMt.rows;
  const nb = a / nOrient, len = nOrient * T;
  const Xt = o.init ? o.init.clone() : new Matrix(T, a);
  const X = Xt.data;
  let GtRt = residualCorrelation(p, Xt);
  const active = new Uint8Array(a);
  const E: number[] = [];
  let highestDual = -Infinity;
  let gap = Infinity;
  let converged = false;
  const xNew = new Float64Array(len);
  const delta = new Float64Array(len);
  const ring = o.anderson ? Array.from({ length: K + 1 }, () => new Float64Array(a * T)) : [];
  let epochs = 0;

  for (let i = 0; i < o.maxit; i++) {
    epochs = i + 1;
    const R = GtRt.data;
    for (let j = 0; j < nb; j++) {
      const off = j * len;
      const inv = 1 / o.lipschitz[j];
      // MNE checks only the first entry to decide whether the block held a value (Mathurin's trick).
      const wasNonZero = X[off] !== 0;
      let norm2 = 0;
      for (let k = 0; k < len; k++) {
        const v = R[off + k] * inv + (wasNonZero ? X[off + k] : 0);
        xNew[k] = v;
        norm2 += v * v;
      }
      const norm = Math.sqrt(norm2);
      const alphaLc = o.alpha * inv;
      let changed = wasNonZero;
      if (norm <= alphaLc) {
        for (let k = 0; k < len; k++) { delta[k] = -(wasNonZero ? X[off + k] : 0); X[off + k] = 0; }
        for (let c = 0; c < nOrient; c++) active[j * nOrient + c] = 0;
      } else {
        const shrink = Math.max(1 - alphaLc / norm, 0);
        for (let k = 0; k < len; k++) {
          const v = xNew[k] * shrink;
          delta[k] = v - (wasNonZero ? X[off + k] : 0);
          X[off + k] = v;
        }
        for (let c = 0; c < nOrient; c++) active[j * nOrient + c] = 1;
        changed = true;
      }
      if (changed) subtractGramBlock(GtG, j, nOrient, delta, R, T);
    }

    if ((i + 1) % o.dgapFreq === 0) {
      GtRt = residualCorrelation(p, Xt);
      const g = dualityGap(p, Xt, GtRt, o.alpha);
      highestDual = Math.max(highestDual, g.dual);
      gap = g.primal - highestDual;
      E.push(g.primal);
      if (gap < o.tol) { converged = true; break; }
    }

    if (o.anderson) {
      ring[i % (K + 1)].set(X);
      if (i % (K + 1) === K) {
        const c = andersonWeights(ring);
        if (c === null) continue;
        const acc = new Matrix(T, a);
        for (let k = 0; k < K; k++) { const r = ring[k]; const ck = c[k]; for (let q = 0; q < acc.data.length; q++) acc.data[q] += r[q] * ck; }
        // MNE 1.3 computes the candidate's group norms with groups_norm2, which squares its
        // argument in place, so the candidate it evaluates (and keeps) is the elementwise square
        // of the extrapolation. Reproduced: it decides the iteration path MNE's numbers come from.
        for (let q = 0; q < acc.data.length; q++) acc.data[q] *= acc.data[q];
        const accR = residualCorrelation(p, acc);
        if (primal(p, acc, accR, o.alpha) < primal(p, Xt, residualCorrelation(p, Xt), o.alpha)) {
          X.set(acc.data);
          GtRt = accR;
          const norms = groupsNorm2(acc, nOrient);
          for (let j = 0; j < nb; j++) for (let c2 = 0; c2 < nOrient; c2++) active[j * nOrient + c2] = norms[j] !== 0 ? 1 : 0;
        }
      }
    }
  }
  return { Xt, active, E, gap, converged, epochs };
}

/** GtR ← GtR − G_Aᵀ G_j Δ_j for block j (rows of GtR are contiguous columns of GtRt). */
function subtractGramBlock(GtG: Matrix, j: number, nOrient: number, delta: Float64Array, R: Float64Array, T: number): void {
  const a = GtG.rows;
  const g = GtG.data;
  for (let c = 0; c < nOrient; c++) {
    const col = (j * nOrient + c) * a;
    const d = c * T;
    for (let r = 0; r < a; r++) {
      const w = g[col + r];
      if (w === 0) continue;
      const ro = r * T;
      for (let t = 0; t < T; t++) R[ro + t] -= w * delta[d + t];
    }
  }
}

/** (G_Aᵀ(M − G_A X))ᵀ = GᵀMᵀ − Xᵀ·GᵀG, as T × a. */
export function residualCorrelation(p: GramProblem, Xt: Matrix): Matrix {
  const out = p.GtMt.clone();
  if (Xt.data.some((v) => v !== 0)) gemm(Xt, p.GtG, { alpha: -1, beta: 1, out });
  return out;
}

function residualNorm2(p: GramProblem, Xt: Matrix, GtRt: Matrix): number {
  return p.normM2 - dot(Xt.data, p.GtMt.data) - dot(Xt.data, GtRt.data);
}

function l21(Xt: Matrix, nOrient: number): number {
  let s = 0;
  for (const v of groupsNorm2(Xt, nOrient)) s += Math.sqrt(v);
  return s;
}

export function primal(p: GramProblem, Xt: Matrix, GtRt: Matrix, alpha: number): number {
  return 0.5 * residualNorm2(p, Xt, GtRt) + alpha * l21(Xt, p.nOrient);
}

/** MNE's dgap_l21 on the active set: primal, and the dual at the rescaled residual. */
export function dualityGap(p: GramProblem, Xt: Matrix, GtRt: Matrix, alpha: number): { primal: number; dual: number } {
  const nR2 = residualNorm2(p, Xt, GtRt);
  let m = 0;
  for (const v of groupsNorm2(GtRt, p.nOrient)) if (v > m) m = v;
  const s = Math.min(alpha / Math.sqrt(m), 1);
  return { primal: 0.5 * nR2 + alpha * l21(Xt, p.nOrient), dual: (s - 0.5 * s * s) * nR2 + s * dot(Xt.data, GtRt.data) };
}
