/**
 * Fuzz targets for batch manifests (lib/batch/manifest.ts): CSV and JSON lines, checked whole
 * (columns, ids, paths, every option cell through `mxne solve`'s parsers) as `mxne batch` does
 * before any work. Seeds are written by mxne's table writer (csv-stringify, lib/batch/tables.ts)
 * and as JSON lines; their paths name files of a scratch folder made on the first read and
 * removed at the end, so rows can be valid. A manifest's allowed outcomes are its rows or a
 * ManifestError naming the file (and each problem's row and column).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { checkManifest } from '../lib/batch/manifest.js';
import { toCsv } from '../lib/batch/tables.js';
import type { Target } from './fuzzTargets.js';
import { TOKENS } from './mutate.js';

const FILES = ['sub-1/fwd.fif', 'sub-1/ave.fif', 'sub-1/cov.fif', 'sub-2/fwd.fif', 'sub-2/ave.fif', 'sub-2/cov.fif'];

/** Rows over most of the option columns, in both spellings (`n_mxne_iter`, `n-mxne-iter`). */
const ROWS: Array<Record<string, string | number | boolean>> = [
  { id: 'sub-1_aud', forward: 'sub-1/fwd.fif', evoked: 'sub-1/ave.fif', covariance: 'sub-1/cov.fif', condition: 'Left Auditory', alpha: 40, n_mxne_iter: 5, debias: false, baseline: 'none,0', loose: 0.2 },
  { id: 'sub-1_vis', forward: 'sub-1/fwd.fif', evoked: 'sub-1/ave.fif', covariance: 'sub-1/cov.fif', condition: 1, alpha: 'sure', n_mxne_iter: '', debias: true, baseline: '-0.2,0', loose: 'auto' },
  { id: 'sub-2.a', forward: 'sub-2/fwd.fif', evoked: 'sub-2/ave.fif', covariance: 'sub-2/cov.fif', condition: '', alpha: 70.5, n_mxne_iter: 1, debias: '', baseline: '', loose: 1 },
];
const OTHER: Record<string, string | number> = { tmin: 0.05, tmax: 0.2, depth: 'none', weights: 'none', 'weights-min': 4, maxit: 100, tol: 1e-6, 'active-set-size': 'none', 'random-state': 3, 'pick-ori': 'vector' };

/** Cell and value words a mutant may put in place of another (besides the generic ones). */
const MANIFEST_TOKENS = [...TOKENS, 'true', 'false', 'none', 'sure', '-1', '1e-300', '""', '"', ',', '\n', 'id', 'forward', 'evoked', 'covariance', 'alpha', 'n_mxne_iter', 'threads', 'no-debias', 'alpa',
  '../x', '/', 'sub-1', 'sub-1/fwd.fif', '.', '..', 'x y', 'null', '[]', '{}', '[1,2]', '{"a":1}', '"id"', '"sub-1/ave.fif"', 'Infinity', '1.5', '0', '#'];

/** A scratch folder for this worker, made on first use. */
export function scratch(kind: string, files: readonly string[]): { dir: string; ensure: () => void; remove: () => Promise<void> } {
  const dir = path.join(os.tmpdir(), `mxne-fuzz-${kind}-${process.pid}-${threadId}`);
  let made = false;
  return {
    dir,
    ensure: () => {
      if (made) return;
      for (const f of files) { fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true }); fs.writeFileSync(path.join(dir, f), ''); }
      made = true;
    },
    remove: async () => { made = false; await fs.promises.rm(dir, { recursive: true, force: true }); },
  };
}

export function manifestTargets(): Target[] {
  const tmp = scratch('manifest', FILES);
  const columns = Object.keys(ROWS[0]);
  const csv = [toCsv(ROWS, columns), toCsv([{ ...ROWS[0], ...OTHER }], [...columns, ...Object.keys(OTHER)]).replace(/n_mxne_iter/, 'n-mxne-iter')];
  const jsonl = [ROWS.map((r) => JSON.stringify(r)).join('\n') + '\n', JSON.stringify({ ...ROWS[2], ...OTHER }) + '\n'];
  const covers = /[\\/]lib[\\/]batch[\\/](manifest|rowOptions)\.js$/;
  const target = (name: string, ext: string, seeds: string[], separator: RegExp): Target => {
    const file = path.join(tmp.dir, `fuzz-manifest.${ext}`);
    return {
      name, file, seeds: seeds.map((s) => Buffer.from(s)), text: true, hot: seeds.map(() => []), tokens: MANIFEST_TOKENS, separator,
      read: (b) => { tmp.ensure(); return checkManifest(file, b.toString('utf8')); }, covers, close: tmp.remove,
    };
  };
  return [
    target('manifest-csv', 'csv', csv, /[\s,]/),
    target('manifest-jsonl', 'jsonl', jsonl, /[\s,:{}]/),
  ];
}
