/**
 * Gain preparation against MNE 1.3's intermediates (fixtures README §3 steps 2–4, tolerances
 * §4.3: preprocessing arrays 1e-9 relative to the array's max). Whitened quantities are compared
 * through invariants (WᵀW, GᵀG, GᵀM, MᵀM): rows of a whitener are eigenvectors, defined up to sign.
 */
import * as assert from 'node:assert/strict';
import { readCov, readEvoked, readForward } from '../../lib/index.js';
import { readNpy, readNpyMatrix } from '../../lib/io/npy.js';
import { gemm } from '../../lib/linalg/blas.js';
import { prepareGain } from '../../lib/prepare/prepareGain.js';
import { eigh } from '../../lib/linalg/decomp.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { assertClose, assertMatrixClose, assertSpectralClose } from '../helpers/assert.js';
import { fixture, requireFixtures } from '../helpers/fixtures.js';

const ata = (A: Matrix, B: Matrix = A) => gemm(A, B, { transA: true });

interface Case { name: string; loose: number; weights: boolean; weightsMin: number }
const CASES: Case[] = [
  { name: 'seed-rv-surf-small', loose: 0.2, weights: true, weightsMin: 8 },
  { name: 'mxne-rv-surf-small', loose: 0.2, weights: false, weightsMin: 0 },
  { name: 'fixed-rv-surf-small', loose: 0, weights: true, weightsMin: 8 },
];

describe("prepareGain equals MNE _prepare_gain (fixtures §3 steps 2–4; 1e-9 per §4.3, Wᵀ G Gᵀ W by its derived bound)", function () {
  requireFixtures(this);
  for (const c of CASES) {
    it(c.name, async () => {
      const ref = (f: string) => fixture('reference', c.name, f);
      const evoked = (await readEvoked(fixture('inputs', 'right_visual-ave.fif'), { condition: 0, baseline: [null, 0] })).crop(0, 0.3);
      const fwd = await readForward(fixture('inputs', 'surf-small-fwd.fif'));
      const cov = await readCov(fixture('inputs', 'noise-cov.fif'));
      const weights = c.weights ? Float64Array.from(readNpy(ref('dspm_maxabs.npy')).data as Float64Array) : null;
      const p = await prepareGain(fwd, evoked.info, cov, { loose: c.loose, depth: 0.9, rank: null, weights, weightsMin: c.weightsMin });

      assert.equal(p.chNames.length, 364);
      // Same evoked, channels and covariance in every case: the seed case holds the whitener and M.
      const seed = (f: string) => fixture('reference', 'seed-rv-surf-small', f);
      const W = readNpyMatrix(seed('whitener.npy'));
      assert.equal(p.whitener.rows, W.rows, 'whitened dimension (rank 360: 3 MEG + 1 EEG projectors)');
      assertMatrixClose(ata(p.whitener), ata(W), 1e-9, 'WᵀW');
      checkSourceNn(p.forward.sourceNn, readNpyMatrix(ref('source_nn_prepared.npy')), p.nOrient);
      assertClose(p.sourceStd, readNpy(ref(c.weights ? 'source_weighting_before_weights.npy' : 'source_weighting.npy')).data, 1e-9, 'source_std');
      assertClose(p.sourceWeighting, readNpy(ref('source_weighting.npy')).data, 1e-9, 'source_weighting');
      if (c.weights) {
        const mask = readNpy(ref('mask.npy')).data;
        assert.deepEqual(Array.from(p.keptColumns ?? []), Array.from(mask).flatMap((m, k) => (m ? [k] : [])), 'mask');
      } else assert.equal(p.keptColumns, null);

      // G_solver = gain / alpha_scale (step 5); M_whitened = W·data (step 4).
      const r = await import('node:fs').then((fs) => JSON.parse(fs.readFileSync(ref('result.json'), 'utf8')));
      const G = readNpyMatrix(ref('G_solver.npy'));
      for (let k = 0; k < G.data.length; k++) G.data[k] *= r.solver.alpha_scale;
      const data = evoked.data.pickRows(p.chNames.map((n) => evoked.info.chNames.indexOf(n)));
      const M = gemm(p.whitener, data);
      const Mref = readNpyMatrix(seed('M_whitened.npy'));
      assertMatrixClose(ata(M), ata(Mref), 1e-9, 'MᵀM');
      // Invariant to the whitener's row basis and to the tangent-plane rotation of each source.
      const WtG = (w: Matrix, g: Matrix) => gemm(w, g, { transA: true });
      const outer = (a: Matrix) => gemm(a, a, { transB: true });
      assertSpectralClose(outer(WtG(p.whitener, p.gain)), outer(WtG(W, G)), whitenedProductTolerance(ata(W), p.chNames), 'Wᵀ G Gᵀ W');
      assertClose(groupNorms(ata(p.gain, M), p.nOrient), groupNorms(ata(G, Mref), p.nOrient), 1e-9, '‖G_jᵀ M‖ per source');
    });
  }
});

/**
 * Bound for Q = C⁺ G Gᵀ C⁺ (C⁺ = WᵀW, the whitener's pseudo-inverse of the noise covariance C).
 * dsyevd is backward stable: each side's whitener is exact for C + E with ‖E‖₂ ≤ n·u·‖C‖₂, per
 * channel-type block b (MNE and mxne whiten each block on its own). To first order
 * ΔC⁺ = −C⁺ E C⁺, so ΔQ = −C⁺ E Q − Q E C⁺ and ‖ΔQ‖₂ ≤ 2·n_b·u·κ_b·‖Q‖₂ per side: the two sides
 * together differ by at most 4·max_b(n_b·κ_b)·u relative, in the 2-norm. On seed-rv-surf-small,
 * κ_MEG ≈ 7.9e5 gives 1.1e-7; MNE against itself across OpenBLAS kernel sets differs by 1.9e-9
 * (Zen vs Prescott), where the old element-wise 1e-9 bound failed.
 */
function whitenedProductTolerance(Cpinv: Matrix, chNames: string[]): number {
  let worst = 0;
  for (const kind of ['MEG', 'EEG']) {
    const idx = chNames.flatMap((n, i) => (n.startsWith(kind) ? [i] : []));
    const block = new Matrix(idx.length, idx.length);
    idx.forEach((i, a) => idx.forEach((j, b) => block.set(a, b, Cpinv.get(i, j))));
    const w = Array.from(eigh(block).values).filter((x, _, all) => x > 1e-14 * Math.max(...all));
    worst = Math.max(worst, idx.length * (Math.max(...w) / Math.min(...w)));
  }
  return 4 * worst * Number.EPSILON / 2;
}

/**
 * The normals (CPS) equal MNE's; the tangent pair is an arbitrary rotation inside the tangent
 * plane that not even numpy reproduces (§4.3), so it is checked for being an orthonormal
 * completion of the normal, which is all the solution depends on.
 */
function checkSourceNn(ours: Matrix, mne: Matrix, nOrient: number): void {
  assert.equal(ours.rows, mne.rows);
  const normal = (m: Matrix) => Array.from({ length: m.rows / nOrient }, (_, k) => [0, 1, 2].map((c) => m.get(k * nOrient + nOrient - 1, c))).flat();
  assertClose(normal(ours), normal(mne), 1e-12, 'CPS normals');
  if (nOrient === 1) return;
  for (let k = 0; k < ours.rows / 3; k++) {
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
      let d = 0;
      for (let c = 0; c < 3; c++) d += ours.get(3 * k + a, c) * ours.get(3 * k + b, c);
      assert.ok(Math.abs(d - (a === b ? 1 : 0)) < 1e-12, `source ${k}: rows ${a}·${b} = ${d}`);
    }
  }
}

function groupNorms(A: Matrix, nOrient: number): Float64Array {
  const out = new Float64Array(A.rows / nOrient);
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < A.rows; i++) out[Math.floor(i / nOrient)] += A.get(i, j) ** 2;
  return out.map(Math.sqrt);
}
