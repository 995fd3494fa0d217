/**
 * Applying projectors that are not yet active, as MNE's `Evoked.apply_proj` on read (proj=True):
 * data ← P·data with P from MNE's `_make_projector` over all projectors (bad channels zeroed),
 * and every projector marked active. No non-zero vector means no projector: data and info stay.
 */
import { gemm } from '../../linalg/blas.js';
import { makeProjector } from '../../prepare/projector.js';
import type { Evoked } from '../../records/evoked.js';

export function applyProjectors(evoked: Evoked): Evoked {
  const info = evoked.info;
  if (info.projs.length === 0 || info.projs.every((p) => p.active)) return evoked;
  const { P } = makeProjector(info.projs, info.chNames, info.bads);
  if (P === null) return evoked;
  return evoked.withData(gemm(P, evoked.data), { ...info, projs: info.projs.map((p) => ({ ...p, active: true })) });
}
