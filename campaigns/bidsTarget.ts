/**
 * Fuzz target for `mxne batch --bids` discovery (lib/batch/bids.ts). A mutant is a listing of
 * relative paths, one per line (a trailing / makes a folder), laid out as a fresh derivatives
 * tree: every `*_ave.fif` holds a two-condition evoked written by mxne, other files are empty
 * (discovery reads only the evoked files). Allowed outcomes: the discovered manifest, or an
 * InputError naming the folder or a FiffError naming a file in it. Lines that would leave the
 * tree (absolute, `..`) are not laid out.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { discoverBids } from '../lib/batch/bids.js';
import { FiffError } from '../lib/errors.js';
import type { Target } from './fuzzTargets.js';

/** The layouts of test/batch/bids.test.ts: one subject without sessions, one with. */
const LISTINGS = [
  ['sub-01/meg/sub-01_task-aud_ave.fif', 'sub-01/meg/sub-01_task-aud_fwd.fif', 'sub-01/meg/sub-01_task-aud_cov.fif',
    'sub-02/ses-a/meg/sub-02_ses-a_task-aud_ave.fif', 'sub-02/ses-a/meg/sub-02_ses-a_fwd.fif', 'sub-02/ses-a/meg/sub-02_ses-a_cov.fif', 'derivatives-notes/'],
  ['sub-03/meg/sub-03_task-vis_ave.fif', 'sub-03/meg/sub-03_task-aud_ave.fif', 'sub-03/meg/sub-03_fwd.fif', 'sub-03/meg/sub-03_cov.fif'],
];

const TOKENS = ['sub-01', 'sub-02', 'sub-', 'ses-a', 'ses-', 'meg', 'eeg', '.', '..', '', 'x_ave.fif', 'x_fwd.fif', 'x_cov.fif', '_ave.fif', '_fwd.fif', '_cov.fif', 'sub-01_task-aud_ave.fif',
  'sub-01_task-aud_fwd.fif', 'sub-02_ses-a_cov.fif', 'ave.fif', '.fif', 'sub-01\nsub-01', 'sub-01/', 'meg/x_ave.fif\nsub-09/meg/x_ave.fif', ' ', 'a b_ave.fif', '#'];

/** Lays out `listing` under `root`; lines that cannot be (outside the tree, a file in the way) are skipped. */
function layOut(root: string, listing: string, evoked: Buffer): void {
  for (const line of listing.split('\n')) {
    if (line === '' || line.includes('\0') || path.isAbsolute(line) || line.split('/').includes('..') || line.length > 200) continue;
    const p = path.join(root, line);
    try {
      if (line.endsWith('/')) { fs.mkdirSync(p, { recursive: true }); continue; }
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, line.endsWith('_ave.fif') ? evoked : '');
    } catch {
      // A file where a folder must go, or the reverse: the layout keeps what it could make.
    }
  }
}

/** `evoked`: a two-condition evoked file (its conditions become rows). */
export function bidsTarget(evoked: Buffer): Target {
  const base = path.join(os.tmpdir(), `mxne-fuzz-bids-${process.pid}-${threadId}`);
  let n = 0;
  return {
    name: 'bids', file: base, seeds: LISTINGS.map((l) => Buffer.from(l.join('\n'))), text: true, hot: LISTINGS.map(() => []), tokens: TOKENS, separator: /[\s/]/,
    read: async (b) => {
      const root = path.join(base, String(n++));
      try {
        fs.mkdirSync(root, { recursive: true });
        layOut(root, b.toString('utf8'), evoked);
        return await discoverBids(root);
      } finally {
        await fs.promises.rm(root, { recursive: true, force: true });
      }
    },
    typed: (e) => e instanceof FiffError && e.file.startsWith(base + path.sep),
    covers: /[\\/]lib[\\/]batch[\\/]bids\.js$/,
    close: () => fs.promises.rm(base, { recursive: true, force: true }),
  };
}
