/**
 * Channel names must be unique, as MNE requires (Info's consistency check): with a duplicate the
 * name-based matching of evoked, covariance and forward silently picks one of the two rows.
 */
import type { FiffFile } from './fiffFile.js';

/** A FiffError at `pos` naming the first channel that appears twice in `names`. */
export function requireUniqueNames(f: FiffFile, pos: number, kind: number | null, names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) f.fail(pos, kind, `expected unique channel names in ${what}, but "${name}" appears more than once`);
    seen.add(name);
  }
}
