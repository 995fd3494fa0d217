/**
 * Lookups over channel names as functions defined once. Written in place as callbacks
 * (`new Map(names.map((n, k) => [n, k]))`, `names.filter((n) => !set.has(n))`), each call made new
 * closures, and V8 keeps a callback's optimised code only while one of its closures lives: a pool
 * worker optimised them anew after every full collection, that is on every row or two of a batch.
 */

/** Name → position (the last one for a repeated name, as a Map built from [name, k] pairs). */
export function nameIndex(names: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  for (let k = 0; k < names.length; k++) index.set(names[k], k);
  return index;
}

/** The position of each of `names` in `index` (undefined for a name it lacks). */
export function positionsOf(index: ReadonlyMap<string, number>, names: readonly string[]): number[] {
  const out: number[] = [];
  for (const n of names) out.push(index.get(n)!);
  return out;
}

/** The names `have` lacks, in order. */
export function namesMissing(names: readonly string[], have: { has(name: string): boolean }): string[] {
  const out: string[] = [];
  for (const n of names) if (!have.has(n)) out.push(n);
  return out;
}

/** The names `have` holds, in order. */
export function namesIn(names: readonly string[], have: { has(name: string): boolean }): string[] {
  const out: string[] = [];
  for (const n of names) if (have.has(n)) out.push(n);
  return out;
}
