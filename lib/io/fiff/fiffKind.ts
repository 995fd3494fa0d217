/**
 * What a FIF file holds, told from its blocks, so that a file given in the wrong place is named
 * for what it is ("a noise covariance, not evoked data") instead of by the block that is missing.
 */
import { FIFF } from './constants.js';
import type { FiffFile } from './fiffFile.js';
import { findNodes } from './tree.js';

/** Most specific first: an inverse operator also holds covariances, a forward also source spaces. */
const KINDS: [number, string][] = [
  [FIFF.FIFFB_MNE_INVERSE_SOLUTION, 'an inverse operator (-inv.fif)'],
  [FIFF.FIFFB_MNE_FORWARD_SOLUTION, 'a forward solution (-fwd.fif)'],
  [FIFF.FIFFB_MNE_EPOCHS, 'epochs (-epo.fif)'],
  [FIFF.FIFFB_EVOKED, 'evoked data (-ave.fif)'],
  [FIFF.FIFFB_RAW_DATA, 'raw data (-raw.fif)'],
  [FIFF.FIFFB_CONTINUOUS_DATA, 'raw data (-raw.fif)'],
  [FIFF.FIFFB_MNE_COV, 'a covariance (-cov.fif)'],
  [FIFF.FIFFB_MNE_SOURCE_SPACE, 'source spaces (-src.fif)'],
  [FIFF.FIFFB_BEM, 'a BEM model (-bem.fif)'],
];

export function describeFif(f: FiffFile): string {
  for (const [block, what] of KINDS) if (findNodes(f.tree, block).length > 0) return what;
  return 'a FIF file without any of the blocks mxne reads';
}

/** Fails with what the file is when it has no `block` (`want` says what was expected). */
export function requireBlock(f: FiffFile, block: number, want: string): void {
  if (findNodes(f.tree, block).length === 0) f.fail(-1, null, `this file is ${describeFif(f)}, not ${want}`);
}
