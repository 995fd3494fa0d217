/**
 * The .dip text format as MNE 1.3 writes and reads it (mne/dipole.py `_write_dipole_text`,
 * `_read_dipole_text`): a head-coordinates line, a field-definition line, then one row per time
 * with begin/end (ms), position (mm), Q and its x, y, z components (nAm) and GOF (%), printed with
 * C formats, so positions keep 10 µm and moments 1 fA·m.
 */
import { InputError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import type { Dipole } from '../records/dipole.js';
import { atomicWrite } from './atomicWrite.js';
import { dipoleTable, type DipoleTable } from './dipoleTable.js';
import { formatFixed } from './formatFixed.js';
import { readInputFile } from './readInputFile.js';

const HEADER = '#   begin     end   X (mm)   Y (mm)   Z (mm)   Q(nAm)  Qx(nAm)  Qy(nAm)  Qz(nAm)    g/%';
/** [precision, width] of each column of MNE's fmt '  %7.1f %7.1f %8.2f ×3 %8.3f ×4 %6.2f'. */
const COLUMNS: ReadonlyArray<readonly [number, number]> = [
  [1, 7], [1, 7], [2, 8], [2, 8], [2, 8], [3, 8], [3, 8], [3, 8], [3, 8], [2, 6],
];

export function encodeDip(table: DipoleTable): string {
  const lines = ['# CoordinateSystem "Head"', HEADER];
  for (let k = 0; k < table.times.length; k++) {
    const t = table.times[k] * 1000;
    const amp = 1e9 * table.amplitude[k];
    const values = [t, t];
    for (let c = 0; c < 3; c++) values.push(table.pos.get(k, c) / 1e-3);
    values.push(amp);
    for (let c = 0; c < 3; c++) values.push(table.ori.get(k, c) * amp);
    values.push(table.gof[k]);
    lines.push(`  ${values.map((v, i) => formatFixed(v, COLUMNS[i][0], COLUMNS[i][1])).join(' ')}`);
  }
  const text = `${lines.join('\n')}\n`;
  return table.name === null ? text : `${text}## Name "${table.name} dipoles" Style "Dipoles"`;
}

/** Writes the dipoles' rows (one dipole after the other) as MNE's Dipole.save does for a .dip path. */
export async function writeDip(file: string, dipoles: Dipole | readonly Dipole[], options: { name?: string } = {}): Promise<void> {
  await atomicWrite(file, encodeDip(dipoleTable(dipoles, options.name ?? null)));
}

const REQUIRED = ['begin/ms', 'x/mm', 'y/mm', 'z/mm', 'q/nam', 'qx/nam', 'qy/nam', 'qz/nam', 'g/%'];

/** MNE's field-name normalisation: "X (mm)" → x/mm, "Q(nAm)" → q/nam, "begin" → begin/ms. */
function parseFields(defLine: string): string[] {
  return defLine.replace(/^%+/, '').replace(/^#+/, '').trim()
    .replace(/([X|Y|Z] )\(mm\)/g, (_, g: string) => `${g.trim()}/mm`)
    .replace(/\((.*?)\)/g, (_, g: string) => `/${g}`)
    .replace(/(begin|end) /g, (_, g: string) => `${g}/ms`)
    .toLowerCase().split(/\s+/).filter((f) => f.length > 0);
}

/** Python's float() syntax (what MNE parses with): decimal, exponent, inf, nan; no hex, no commas. */
const NUMBER = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;

function parseRow(line: string, file: string, lineNo: number): number[] {
  return line.trim().split(/\s+/).map((word) => {
    if (!NUMBER.test(word)) throw new InputError(`${file} line ${lineNo}`, 'a decimal number in every column', `"${word}"`);
    return Number(/^[+-]?inf/i.test(word) ? word.replace(/inf(inity)?/i, 'Infinity') : /nan/i.test(word) ? 'NaN' : word);
  });
}

export function decodeDip(text: string, file = '<text>'): DipoleTable {
  let defLine: string | null = null;
  let name: string | null = null;
  let inHeader = true;
  const rows: number[][] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (line.trim().length === 0) continue;
    if (line.startsWith('%') || line.startsWith('#')) {
      if (inHeader) defLine = line;
      if (line.startsWith('##') || line.startsWith('%%')) name = /Name "(.*) dipoles"/.exec(line)?.[1] ?? name;
      continue;
    }
    inHeader = false;
    rows.push(parseRow(line, file, n + 1));
  }
  if (defLine === null) throw new InputError(file, 'a field definition comment line', 'none');
  const fields = parseFields(defLine);
  const missing = REQUIRED.filter((f) => !fields.includes(f));
  if (missing.length > 0) throw new InputError(file, `the fields ${REQUIRED.join(' ')}`, `no ${missing.join(', ')}`);
  rows.forEach((r, k) => {
    if (r.length !== fields.length) throw new InputError(`${file} row ${k}`, `${fields.length} columns`, `${r.length}`);
  });
  const col = (f: string) => Float64Array.from(rows, (r) => r[fields.indexOf(f)]);
  const n = rows.length;
  const q = col('q/nam');
  const pos = new Matrix(n, 3);
  const ori = new Matrix(n, 3);
  ['x/mm', 'y/mm', 'z/mm'].forEach((f, c) => col(f).forEach((v, k) => pos.set(k, c, 1e-3 * v)));
  ['qx/nam', 'qy/nam', 'qz/nam'].forEach((f, c) => col(f).forEach((v, k) => ori.set(k, c, v / (q[k] === 0 ? 1 : q[k]))));
  const optional = (f: string) => (fields.includes(f) ? col(f) : null);
  return {
    times: col('begin/ms').map((v) => v / 1000),
    pos,
    amplitude: q.map((v) => v / 1e9),
    ori,
    gof: col('g/%'),
    name,
    khi2: optional('khi^2'),
    nfree: optional('free'),
  };
}

export async function readDip(file: string): Promise<DipoleTable> {
  return decodeDip((await readInputFile(file)).toString('utf8'), file);
}
