/** Summary statistics for benchmark samples. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface Summary { median: number; min: number; max: number; n: number }

export function summarize(xs: number[]): Summary {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

/** b[k] / a[k] pair by pair (runs k of both sides were adjacent in time). */
export function pairRatios(a: number[], b: number[]): number[] {
  const n = Math.min(a.length, b.length);
  return Array.from({ length: n }, (_, k) => b[k] / a[k]);
}

/** Median per key over a list of per-run records (keys missing from some runs use the runs that have them). */
export function medianStages(runs: Array<Record<string, number> | undefined>): Record<string, number> {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r ?? {})))];
  return Object.fromEntries(keys.map((k) => [k, median(runs.flatMap((r) => (r && k in r ? [r[k]] : [])))]));
}
