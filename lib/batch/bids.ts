/**
 * `mxne batch --bids DIR`: the recordings of an MNE-BIDS-Pipeline-style derivatives folder,
 * `sub-*` / optional `ses-*` / `meg/` with `*_ave.fif` and the matching `*_fwd.fif` and
 * `*_cov.fif` (same name stem, or the only one in the folder): one row per subject × condition
 * of each evoked file, its FreeSurfer subject named as the folder (`sub-XX`). The rows are a
 * manifest (`--dry-run` prints it as CSV, paths relative to DIR).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors.js';
import { readConditionNames } from '../io/fiff/readEvoked.js';
import type { Manifest, ManifestRow } from './manifest.js';
import { toCsv } from './tables.js';

async function listDir(dir: string): Promise<fs.Dirent[]> {
  try {
    return (await fs.promises.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return [];
  }
}

/** The meg/ folders and the subject of each (`sub-XX`: MNE-BIDS-Pipeline's FreeSurfer subject name). */
async function megFolders(root: string): Promise<Array<{ dir: string; subject: string }>> {
  const out: Array<{ dir: string; subject: string }> = [];
  for (const sub of await listDir(root)) {
    if (!sub.isDirectory() || !sub.name.startsWith('sub-')) continue;
    const subDir = path.join(root, sub.name);
    out.push({ dir: path.join(subDir, 'meg'), subject: sub.name });
    for (const ses of await listDir(subDir)) if (ses.isDirectory() && ses.name.startsWith('ses-')) out.push({ dir: path.join(subDir, ses.name, 'meg'), subject: sub.name });
  }
  return out;
}

/** The `*_<suffix>.fif` that goes with the evoked file of this stem: same stem, else the only one. */
function matching(files: string[], stem: string, suffix: 'fwd' | 'cov', evoked: string): string {
  const same = `${stem}_${suffix}.fif`;
  if (files.includes(same)) return same;
  const all = files.filter((f) => f.endsWith(`_${suffix}.fif`));
  if (all.length === 1) return all[0];
  throw new InputError(`--bids ${suffix === 'fwd' ? 'forward' : 'covariance'} of ${evoked}`,
    `${same}, or a single *_${suffix}.fif beside it`, all.length === 0 ? 'none' : all.join(', '));
}

/** A condition's part of a row id: its name made a plain file name. */
function slug(condition: string): string {
  return condition.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'condition';
}

export async function discoverBids(root: string): Promise<Manifest> {
  const abs = path.resolve(root);
  const st = await fs.promises.stat(abs).catch(() => null);
  if (st === null || !st.isDirectory()) throw new InputError('--bids', 'a derivatives folder (sub-*/[ses-*/]meg/*_ave.fif)', root);
  const rows: ManifestRow[] = [];
  for (const { dir, subject } of await megFolders(abs)) {
    const files = (await listDir(dir)).filter((e) => e.isFile()).map((e) => e.name);
    for (const ave of files.filter((f) => f.endsWith('_ave.fif'))) {
      const stem = ave.slice(0, -'_ave.fif'.length);
      const evoked = path.join(dir, ave);
      const forward = path.join(dir, matching(files, stem, 'fwd', evoked));
      const covariance = path.join(dir, matching(files, stem, 'cov', evoked));
      const names = await readConditionNames(evoked);
      names.forEach((name, k) => {
        // By name when it names one data set; else by index.
        const byName = name !== null && names.indexOf(name) === names.lastIndexOf(name);
        const condition = byName ? name : k;
        rows.push({ row: rows.length + 1, id: `${stem}_${byName ? slug(name) : `condition-${k}`}`, forward, evoked, covariance, subject, options: { condition: String(condition) }, values: { condition: [condition] } });
      });
    }
  }
  if (rows.length === 0) throw new InputError('--bids', 'a derivatives folder with sub-*/[ses-*/]meg/*_ave.fif files', `${root}: none found`);
  // An id names a row's output folder: two rows with one id (the same file stem in two sessions,
  // or conditions that differ only in characters a file name drops) are refused, naming both.
  const seen = new Map<string, ManifestRow>();
  const where = (r: ManifestRow) => `${r.evoked} (condition ${r.options.condition})`;
  for (const r of rows) {
    const first = seen.get(r.id);
    if (first !== undefined) throw new InputError('--bids', 'evoked file stems and conditions that differ once made file names', `two rows named ${r.id}`, `from ${where(first)} and ${where(r)}`);
    seen.set(r.id, r);
  }
  return { file: path.join(abs, 'bids-manifest.csv'), rows };
}

/** The discovered manifest as CSV, paths relative to the derivatives folder. */
export function manifestCsv(m: Manifest): string {
  const dir = path.dirname(m.file);
  return toCsv(m.rows.map((r) => ({
    id: r.id, forward: path.relative(dir, r.forward), evoked: path.relative(dir, r.evoked), covariance: path.relative(dir, r.covariance), subject: r.subject ?? '', condition: r.options.condition ?? '',
  })), ['id', 'forward', 'evoked', 'covariance', 'subject', 'condition']);
}
