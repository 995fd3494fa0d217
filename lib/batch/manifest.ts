/**
 * A batch manifest: CSV with a header row (csv-parse) or JSON lines, one recording per row. Columns
 * `id`, `forward`, `evoked`, `covariance`, optionally `subject` (FreeSurfer); every other column is a `mxne solve` option named as the
 * flag without its dashes (`alpha`, `condition`, `n-mxne-iter` or `n_mxne_iter`, `debias` = false
 * for --no-debias), parsed by the very option definitions of `mxne solve` (rowOptions.ts). Paths
 * are relative to the manifest's folder; lines starting with # are comments. The whole manifest
 * is checked before any work: every problem is reported with its row (1 = the first data row)
 * and column.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import { checkOptionColumn, parseRowOptions } from './rowOptions.js';

export const PATH_COLUMNS = ['forward', 'evoked', 'covariance'] as const;
export const REQUIRED_COLUMNS = ['id', ...PATH_COLUMNS] as const;
/** Optional columns that are not `mxne solve` options: `subject`, the FreeSurfer subject of the row (MRI slices, --morph-to). */
const OWN_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, 'subject'];

export interface ManifestRow {
  /** 1-based data row of the manifest (what error messages name). */
  row: number;
  id: string;
  forward: string;
  evoked: string;
  covariance: string;
  /** The FreeSurfer subject of the recording in --subjects-dir (column `subject`); else as the batch's --subject or the forward says. */
  subject?: string;
  /** Option columns with a value in this row, by flag name (kebab-case), as written. */
  options: Record<string, string>;
  /** The same, parsed by `mxne solve`'s option definitions (by their attribute names). */
  values: Record<string, unknown>;
}

export interface Manifest {
  file: string;
  rows: ManifestRow[];
}

/** An id names the row's output folder: a plain file name. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A manifest's problems, each with its row and column; the message lists them all. */
export class ManifestError extends InputError {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`manifest ${file}`, 'a valid manifest', problems[0]);
    this.message = `${file}: ${problems.length} problem(s), nothing was run: ${problems.slice(0, 8).join('; ')}${problems.length > 8 ? '; …' : ''}`;
  }
}

/** The manifest's problems, all of them, in one error. */
export class ManifestProblems {
  readonly list: string[] = [];
  constructor(private readonly file: string) {}
  add(row: number | null, column: string | null, problem: string): void {
    this.list.push(`${row === null ? '' : `row ${row}`}${row !== null && column !== null ? ', ' : ''}${column === null ? '' : `column "${column}"`}: ${problem}`);
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw new ManifestError(this.file, this.list);
  }
}

/** Column name as a flag name: `n_mxne_iter` and `n-mxne-iter` are the same column. */
export function columnKey(name: string): string {
  return name.trim().replace(/_/g, '-');
}

function readRecords(file: string, text: string, problems: ManifestProblems): { header: string[]; records: Record<string, string>[] } {
  const isJsonl = /\.(jsonl|ndjson)$/i.test(file) || text.trimStart().startsWith('{');
  if (!isJsonl) {
    try {
      const records = parseCsv(text, { columns: (h: string[]) => h.map(columnKey), skip_empty_lines: true, trim: true, bom: true, comment: '#', comment_no_infix: true }) as Record<string, string>[];
      const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '';
      return { header: (parseCsv(firstLine, { trim: true })[0] ?? []).map(columnKey), records };
    } catch (e) {
      problems.add(null, null, `not a CSV file with a header row: ${(e as Error).message}`);
      return { header: [], records: [] };
    }
  }
  const records: Record<string, string>[] = [];
  const header = new Set<string>();
  text.split(/\r?\n/).filter((l) => l.trim() !== '').forEach((line, k) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      problems.add(k + 1, null, `not a JSON object (${(e as Error).message})`);
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.add(k + 1, null, 'not a JSON object');
      return;
    }
    const rec: Record<string, string> = {};
    for (const [name, v] of Object.entries(value)) {
      const key = columnKey(name);
      header.add(key);
      rec[key] = v === null || v === undefined ? '' : String(v);
    }
    records.push(rec);
  });
  return { header: [...header], records };
}

async function readableFile(p: string): Promise<string | null> {
  try {
    const st = await fs.promises.stat(p);
    if (!st.isFile()) return 'not a regular file';
    await fs.promises.access(p, fs.constants.R_OK);
    return null;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }
}

/**
 * Reads and checks a manifest: columns, ids (present, unique, a plain name), paths (readable
 * files), and every option value through the `mxne solve` parsers. Throws InputError naming the
 * manifest, the row and the column of each problem.
 */
export async function readManifest(file: string): Promise<Manifest> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    throw new InputError('MANIFEST', 'a readable manifest file (CSV or JSON lines)', file, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
  return checkManifest(file, text);
}

export async function checkManifest(file: string, text: string): Promise<Manifest> {
  const problems = new ManifestProblems(file);
  const { header, records } = readRecords(file, text, problems);
  problems.throwIfAny();
  for (const c of REQUIRED_COLUMNS) if (!header.includes(c)) problems.add(null, c, 'missing (the columns are id, forward, evoked, covariance, then mxne solve options)');
  const optionColumns = header.filter((c) => !OWN_COLUMNS.includes(c));
  for (const c of optionColumns) {
    const bad = checkOptionColumn(c);
    if (bad !== null) problems.add(null, c, bad);
  }
  if (records.length === 0) problems.add(null, null, 'no rows');
  problems.throwIfAny();

  const dir = path.dirname(path.resolve(file));
  const seen = new Map<string, number>();
  const checked = new Map<string, Promise<string | null>>();
  const rows: ManifestRow[] = [];
  const pathChecks: Promise<void>[] = [];
  records.forEach((rec, k) => {
    const row = k + 1;
    const id = (rec.id ?? '').trim();
    if (id === '') problems.add(row, 'id', 'empty');
    else if (!ID.test(id)) problems.add(row, 'id', `"${id}" is not a plain name (letters, digits, . _ -; it names the output folder)`);
    else if (seen.has(id)) problems.add(row, 'id', `"${id}" is also the id of row ${seen.get(id)}`);
    else seen.set(id, row);
    const paths = {} as Record<(typeof PATH_COLUMNS)[number], string>;
    for (const c of PATH_COLUMNS) {
      const given = (rec[c] ?? '').trim();
      if (given === '') { problems.add(row, c, 'empty'); continue; }
      const abs = path.resolve(dir, given);
      paths[c] = abs;
      if (!checked.has(abs)) checked.set(abs, readableFile(abs));
      pathChecks.push(checked.get(abs)!.then((why) => { if (why !== null) problems.add(row, c, `cannot read ${abs} (${why})`); }));
    }
    const subject = (rec.subject ?? '').trim();
    if (subject !== '' && !ID.test(subject)) problems.add(row, 'subject', `"${subject}" is not a plain name (a folder of --subjects-dir)`);
    const options: Record<string, string> = {};
    for (const c of optionColumns) if ((rec[c] ?? '').trim() !== '') options[c] = rec[c].trim();
    const { values, problems: bad } = parseRowOptions(options);
    for (const [column, why] of bad) problems.add(row, column, why);
    rows.push({ row, id, ...paths, ...(subject !== '' ? { subject } : {}), options, values });
  });
  await Promise.all(pathChecks);
  problems.list.sort((a, b) => rowOf(a) - rowOf(b));
  problems.throwIfAny();
  return { file: path.resolve(file), rows };
}

function rowOf(problem: string): number {
  const m = /^row (\d+)/.exec(problem);
  return m ? Number(m[1]) : 0;
}
