/**
 * A forward without some of its sources, as MNE's `_restrict_forward_to_src_sel` (which
 * bench/accuracy/mne_accuracy.py calls on the same held-out set): gain columns, positions and
 * orientations of the kept sources in their order, each source space's used vertices reset, and
 * the cortical patches recomputed from `nearest` as MNE's `_adjust_patch_info` does — the patches
 * stay those of the full source space, so the kept sources keep their cps normals.
 */
import { patchInfo } from '../../lib/io/fiff/patchInfo.js';
import type { Forward } from '../../lib/records/forward.js';

/** `fwd` without the sources `drop` (indices into its sources). */
export function withoutSources(fwd: Forward, drop: readonly number[]): Forward {
  const dropped = new Set(drop);
  const keep = Array.from({ length: fwd.nsource }, (_, k) => k).filter((k) => !dropped.has(k));
  const o = fwd.sourceOri === 2 ? 3 : 1;
  const cols = keep.flatMap((k) => Array.from({ length: o }, (_, d) => o * k + d));
  let offset = 0;
  const src = fwd.src.map((s) => {
    const vertno = Int32Array.from(Array.from(s.vertno).filter((_, i) => !dropped.has(offset + i)));
    offset += s.nuse;
    const inuse = new Int32Array(s.np);
    for (const v of vertno) inuse[v] = 1;
    return { ...s, inuse, nuse: vertno.length, vertno, useTris: null, nuseTri: 0, ...patchInfo(s.nearest, vertno) };
  });
  return { ...fwd, sol: fwd.sol.pickCols(cols), src, nsource: keep.length, sourceRr: fwd.sourceRr.pickRows(keep), sourceNn: fwd.sourceNn.pickRows(cols) };
}
