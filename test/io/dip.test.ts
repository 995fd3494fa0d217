import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeBdip, encodeBdip, readBdip, writeBdip } from '../../lib/io/bdip.js';
import { decodeDip, encodeDip, readDip, writeDip } from '../../lib/io/dipText.js';
import { dipoleTable } from '../../lib/io/dipoleTable.js';
import { formatFixed } from '../../lib/io/formatFixed.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import type { Dipole } from '../../lib/records/dipole.js';
import { assertClose } from '../helpers/assert.js';
import { PYTHON, runPythonJson } from '../helpers/python.js';
import { rng } from '../helpers/random.js';

/** Sparse-solver-like dipoles: fixed position, unit orientations, nAm amplitudes, GOF in %. */
function someDipoles(nT = 181, signed = false): Dipole[] {
  const r = rng(5);
  return [0, 1].map((k) => {
    const ori = new Matrix(nT, 3);
    const amplitude = new Float64Array(nT);
    const gof = new Float64Array(nT);
    for (let t = 0; t < nT; t++) {
      const v = [r() - 0.5, r() - 0.5, r() - 0.5];
      const n = Math.hypot(...v);
      for (let c = 0; c < 3; c++) ori.set(t, c, v[c] / n);
      amplitude[t] = (signed ? r() - 0.5 : r()) * 1e-7;
      gof[t] = 30 * r();
    }
    return {
      times: Float64Array.from({ length: nT }, (_, t) => -3.1635573327637445e-09 + 0.0016649601096532323 * t),
      pos: Float64Array.from([0.01 * k - 0.031, 0.0123456 + k * 1e-3, 0.0701]),
      ori, amplitude, gof, sourceIndex: 228 + k, hemi: 'lh', vertno: 10275 + k,
    };
  });
}

describe('io: .dip text and .bdip binary dipole files', function () {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-dip-')); });
  // A skip in an earlier before hook leaves dir unset; after hooks still run.
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('formats numbers as C/Python %w.pf: exact value, ties to even, signed zero', function () {
    assert.equal(formatFixed(0.125, 2), '0.12');
    assert.equal(formatFixed(0.375, 2), '0.38');
    assert.equal(formatFixed(2.5, 0), '2');
    assert.equal(formatFixed(2.0005, 3), '2.001'); // 2.0005 is 2.000500000000000166… in binary
    assert.equal(formatFixed(1.0005, 3), '1.000');
    assert.equal(formatFixed(-0, 1, 7), '   -0.0');
    assert.equal(formatFixed(-1e-9, 1, 7), '   -0.0');
    assert.equal(formatFixed(123456.789, 2, 8), '123456.79');
    assert.equal(formatFixed(NaN, 2, 6), '   nan');
    assert.equal(formatFixed(5e-324, 3), '0.000');
    assert.equal(formatFixed(1e21, 1), '1000000000000000000000.0');
    assert.equal(formatFixed(2 ** -30, 30), '0.000000000931322574615478515625');
    assert.equal(formatFixed(0.5 + 2 ** -40, 0), '1');
  });

  it('formats digit for digit as Python\'s %.pf on random values of every magnitude and on ties', function () {
    if (!fs.existsSync(PYTHON)) this.skip();
    const r = rng(11);
    const values: number[] = [];
    for (let k = 0; k < 4000; k++) values.push((r() - 0.5) * 10 ** Math.floor(r() * 30 - 12));
    // Ties at each precision (j / 2^(p+1), j odd) and their neighbours.
    for (let p = 0; p <= 3; p++) for (let j = 1; j < 400; j += 2) for (const d of [-1, 0, 1]) values.push(j / 2 ** (p + 1) + d * 2 ** -45, -j / 2 ** (p + 1));
    const file = path.join(dir, 'values.json');
    fs.writeFileSync(file, JSON.stringify(values));
    const want = runPythonJson<string[][]>(`import json; v=json.load(open(${JSON.stringify(file)})); print(json.dumps([['%.*f' % (p, x) for p in range(4)] for x in v]))`);
    values.forEach((x, i) => { for (let p = 0; p < 4; p++) assert.equal(formatFixed(x, p), want[i][p], `${x} at precision ${p}`); });
  });

  it('writes MNE\'s header and row format', function () {
    const text = encodeDip(dipoleTable(someDipoles(2)));
    const lines = text.split('\n');
    assert.equal(lines[0], '# CoordinateSystem "Head"');
    assert.equal(lines[1], '#   begin     end   X (mm)   Y (mm)   Z (mm)   Q(nAm)  Qx(nAm)  Qy(nAm)  Qz(nAm)    g/%');
    assert.match(lines[2], /^ {5}-0\.0 {4}-0\.0 {3}-31\.00 {4}12\.35 {4}70\.10 /);
    assert.equal(lines.length, 2 + 4 + 1);
    assert.ok(encodeDip(dipoleTable(someDipoles(1), 'mxne')).endsWith('## Name "mxne dipoles" Style "Dipoles"'));
  });

  it('round-trips through .dip to its printed precision (0.01 mm, 0.001 nAm, 0.01 %)', async function () {
    const dipoles = someDipoles(181, true);
    const file = path.join(dir, 'x.dip');
    await writeDip(file, dipoles, { name: 'mxne' });
    const back = await readDip(file);
    const ref = dipoleTable(dipoles);
    assert.equal(back.name, 'mxne');
    assert.equal(back.times.length, 2 * 181);
    assertClose(back.times, ref.times, 0, 'times', 0.05e-3);
    assertClose(back.pos.data, ref.pos.data, 0, 'pos', 0.005e-3);
    assertClose(back.amplitude, ref.amplitude, 0, 'amplitude', 0.0005e-9);
    assertClose(back.gof, ref.gof, 0, 'gof', 0.005);
    // Q components are printed to 0.001 nAm, so ori = Qxyz/Q is good to ~0.0015/|Q| (nAm).
    for (let k = 0; k < back.times.length; k++) {
      const q = Math.abs(ref.amplitude[k]) * 1e9;
      for (let c = 0; c < 3; c++) assert.ok(Math.abs(back.ori.get(k, c) - ref.ori.get(k, c)) <= 0.0011 / q, `ori ${k}`);
    }
    assert.deepEqual(decodeDip(encodeDip(back)).gof, back.gof, 're-encoding is stable');
  });

  it('round-trips through .bdip at float32 precision', async function () {
    const dipoles = someDipoles(181);
    const file = path.join(dir, 'x.bdip');
    await writeBdip(file, dipoles);
    assert.equal(fs.statSync(file).size, 196 * 2 * 181);
    const back = await readBdip(file);
    const ref = dipoleTable(dipoles);
    assertClose(back.times, ref.times, 1e-7, 'times');
    assertClose(back.pos.data, ref.pos.data, 1e-7, 'pos');
    assertClose(back.amplitude, ref.amplitude, 1e-7, 'amplitude');
    assertClose(back.ori.data, ref.ori.data, 1e-6, 'ori');
    assertClose(back.gof, ref.gof, 1e-7, 'gof');
    assert.deepEqual(decodeBdip(encodeBdip(back)).amplitude, back.amplitude, 're-encoding is stable');
    assert.throws(() => decodeBdip(new Uint8Array(100)), /multiple of 196/);
  });
});
