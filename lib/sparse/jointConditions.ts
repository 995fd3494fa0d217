/**
 * mixedNorm's `jointConditions`: several conditions solved together under the L2,1,2 penalty
 * (penalties/l212.ts) — one support shared by every condition, time courses free per condition.
 * Each condition's data is weighed by its evidence: scaled by √(nave_c / nave_0) it has the noise
 * level of the first condition (the covariance given is per trial; the noise of an average is
 * cov/nave), so a condition averaged over more trials counts more in the shared-support decision,
 * where MNE's concatenation in time counts raw amplitudes. The scaled conditions are stacked in time
 * and solved as one problem; the results are scaled back per condition. With one condition (or
 * equal naves) nothing is scaled and the solve is mixedNorm's on the concatenation.
 */
import type { Evoked } from '../records/evoked.js';
import type { MixedNormCondition } from './mixedNorm.js';

export function jointScales(evokeds: readonly Evoked[]): Float64Array {
  return Float64Array.from(evokeds, (e) => Math.sqrt(e.nave / evokeds[0].nave));
}

export function scaleEvoked(e: Evoked, f: number): Evoked {
  if (f === 1) return e;
  const data = e.data.clone();
  for (let k = 0; k < data.data.length; k++) data.data[k] *= f;
  return e.withData(data);
}

/** A condition's results solved on data scaled by f, in the units of its own data. */
export function unscaleCondition(c: MixedNormCondition, f: number): MixedNormCondition {
  if (f === 1) return c;
  const stcData = c.stc.data.clone();
  for (let k = 0; k < stcData.data.length; k++) stcData.data[k] /= f;
  const residual = c.residual.data.clone();
  for (let k = 0; k < residual.data.length; k++) residual.data[k] /= f;
  return {
    ...c,
    dipoles: c.dipoles.map((d) => ({ ...d, amplitude: d.amplitude.map((v) => v / f) })),
    stc: { ...c.stc, data: stcData },
    residual: c.residual.withData(residual),
  };
}
