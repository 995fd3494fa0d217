/**
 * Scoring one solution against the truth: a true source is recovered when an estimated dipole lies
 * within 10 mm; an estimated dipole is spurious when it lies further than 10 mm from every true
 * source. Localisation error (mm) and amplitude error (|estimated − true peak| / true peak, of the
 * nearest estimate) are taken over the recovered sources.
 */
import type { TrueSource } from './simulate.js';

export const RECOVERY_MM = 10;

export interface EstimatedDipole { pos: number[]; /** Peak |amplitude| over time, A·m. */ peak: number; sourceIndex: number }

export interface SourceScore { recovered: boolean; errorMm: number; amplitudeError: number }
export interface CaseScore { sources: SourceScore[]; spurious: number; nEstimated: number }

const dist = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) * 1000;

export function scoreCase(truth: TrueSource[], est: EstimatedDipole[]): CaseScore {
  const sources = truth.map((s) => {
    let best = -1, bestD = Infinity;
    est.forEach((e, j) => { const d = dist(s.pos, e.pos); if (d < bestD) { bestD = d; best = j; } });
    const recovered = bestD <= RECOVERY_MM;
    return { recovered, errorMm: bestD, amplitudeError: recovered ? Math.abs(est[best].peak - s.amplitude) / s.amplitude : Number.NaN };
  });
  const spurious = est.filter((e) => truth.every((s) => dist(s.pos, e.pos) > RECOVERY_MM)).length;
  return { sources, spurious, nEstimated: est.length };
}
