/**
 * `mxne batch-collect DIR`: the shards' tables (batch-summary.shard-i-of-n.json, dipoles.shard-…csv)
 * merged into DIR/batch-summary.json / .csv, DIR/dipoles.csv and DIR/index.html, in manifest order, with the rows
 * of the manifest that no shard finished (missing) and those that failed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import { DIPOLE_COLUMNS, MORPH_COLUMNS, writeTables, type BatchSummary, type DipoleRow, type RowRecord } from './tables.js';

export interface Collected {
  summary: BatchSummary & { collectedFrom: string[]; missing: string[] };
  failed: RowRecord[];
  missing: string[];
}

const SHARD_SUMMARY = /^batch-summary(\.shard-\d+-of-\d+)?\.json$/;

export async function collectBatch(dir: string): Promise<Collected> {
  let names: string[];
  try {
    names = (await fs.promises.readdir(dir)).filter((n) => SHARD_SUMMARY.test(n)).sort();
  } catch (e) {
    throw new InputError('DIR', 'the --out folder of mxne batch runs', dir, (e as NodeJS.ErrnoException).code);
  }
  const parts: Array<{ name: string; summary: BatchSummary & { collectedFrom?: string[] } }> = [];
  for (const name of names) {
    const summary = JSON.parse(await fs.promises.readFile(path.join(dir, name), 'utf8'));
    if (!summary.collectedFrom) parts.push({ name, summary });
  }
  if (parts.length === 0) throw new InputError('DIR', 'a folder holding batch-summary*.json of mxne batch runs', dir, 'none found');
  const manifestFiles = new Set(parts.map((p) => p.summary.manifest.file));
  if (manifestFiles.size > 1) throw new InputError('DIR', 'shards of one manifest', [...manifestFiles].join(', '));
  const ids = parts[0].summary.manifest.ids;

  // A row reported by several runs (a shard rerun, an unsharded run): a finished outcome wins over a failure.
  const best = new Map<string, { record: RowRecord; part: string }>();
  for (const p of parts) {
    for (const r of p.summary.rows) {
      const had = best.get(r.id);
      if (!had || had.record.status === 'failed') best.set(r.id, { record: r, part: p.name });
    }
  }
  const dipoles: DipoleRow[] = [];
  for (const p of parts) {
    const csv = path.join(dir, p.name.replace(/^batch-summary/, 'dipoles').replace(/\.json$/, '.csv'));
    const rows = parseCsv(await fs.promises.readFile(csv, 'utf8'), { columns: true, cast: true }) as DipoleRow[];
    for (const d of rows) if (best.get(String(d.id))?.part === p.name) dipoles.push({ ...d, id: String(d.id) });
  }
  const order = new Map(ids.map((id, k) => [id, k] as const));
  dipoles.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const rows = ids.flatMap((id) => { const b = best.get(id); return b ? [b.record] : []; });
  const missing = ids.filter((id) => !best.has(id));
  const count = (s: RowRecord['status']) => rows.filter((r) => r.status === s).length;
  const summary = {
    manifest: parts[0].summary.manifest, shard: null,
    counts: { solved: count('solved'), skipped: count('skipped'), failed: count('failed') },
    seconds: Math.max(...parts.map((p) => p.summary.seconds)),
    rows, collectedFrom: parts.map((p) => p.name), missing,
  };
  // Only the table's columns (csv-parse's cast turns empty cells into ''; the morph columns when any shard has them).
  const columns = dipoles.some((d) => d.morphSubject !== undefined && String(d.morphSubject) !== '') ? [...DIPOLE_COLUMNS, ...MORPH_COLUMNS] : DIPOLE_COLUMNS;
  await writeTables(dir, '', summary, dipoles.map((d) => Object.fromEntries(columns.map((c) => [c, d[c] === '' ? null : d[c]])) as unknown as DipoleRow), missing);
  return { summary, failed: rows.filter((r) => r.status === 'failed'), missing };
}
