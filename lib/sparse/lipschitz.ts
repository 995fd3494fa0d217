/** Per-block Lipschitz constants of the L21 problem: ‖G_jᵀG_j‖₂ from the Gram's diagonal blocks. */
import type { Matrix } from '../linalg/matrix.js';
import { largestEigenvalueSym3 } from '../linalg/sym3.js';

export function blockLipschitz(GtG: Matrix, nOrient: number): Float64Array {
  const nb = GtG.rows / nOrient;
  const out = new Float64Array(nb);
  for (let j = 0; j < nb; j++) {
    const o = j * nOrient;
    if (nOrient === 1) { out[j] = GtG.get(o, o); continue; }
    const m = Array.from({ length: 3 }, (_, r) => Array.from({ length: 3 }, (_, c) => GtG.get(o + r, o + c)));
    out[j] = largestEigenvalueSym3(m);
  }
  return out;
}
