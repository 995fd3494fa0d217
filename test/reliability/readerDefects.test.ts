/**
 * Issue 15 §2, the reader defects: each case is the reproducer shape of the issue and must give a
 * typed error naming the file (never a RangeError, an allocation sized by a header, a NaN read
 * as a number, or a read that never ends).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FiffError, InputError } from '../../lib/errors.js';
import { readBdip } from '../../lib/io/bdip.js';
import { decodeDip, readDip } from '../../lib/io/dipText.js';
import { openFiff } from '../../lib/io/fiff/fiffFile.js';
import { decodeStc, encodeStc, readStc } from '../../lib/io/stc.js';
import { Matrix } from '../../lib/linalg/matrix.js';

function stcBytes(words: number[]): Buffer {
  const b = Buffer.alloc(4 * words.length);
  words.forEach((w, k) => b.writeUInt32BE(w >>> 0, 4 * k));
  return b;
}

async function rejects<T extends Error>(p: Promise<unknown>, type: new (...a: never[]) => T, match: RegExp): Promise<T> {
  const e = await p.then(() => null, (err: unknown) => err);
  assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
  assert.match(e.message, match);
  return e;
}

describe('reliability: readStc bounds every size by the file', () => {
  let dir = '';
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-stc-bad-')); });
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('nvert = 0 with ntimes = 2³²−1 (the 16-byte file of the issue) beside a real lh: InputError, not 2³² columns', async () => {
    fs.writeFileSync(path.join(dir, 'a-lh.stc'), encodeStc(0, 0.001, Int32Array.from([4]), Matrix.fromRows([[1, 2, 3]])));
    fs.writeFileSync(path.join(dir, 'a-rh.stc'), stcBytes([0, 0x3f800000, 0, 0xffffffff]));
    await rejects(readStc(path.join(dir, 'a')), InputError, /3 times.*a-rh\.stc.*4294967295/);
  });

  it('nvert = 0 with ntimes = 2²⁴ beside one vertex: hemispheres with other ntimes are an error, not zero-padded', async () => {
    fs.writeFileSync(path.join(dir, 'b-lh.stc'), encodeStc(0, 0.001, Int32Array.from([4]), Matrix.fromRows([[1]])));
    fs.writeFileSync(path.join(dir, 'b-rh.stc'), stcBytes([0, 0x3f800000, 0, 1 << 24]));
    await rejects(readStc(path.join(dir, 'b')), InputError, /b-rh\.stc/);
  });

  it('nvert = 1 with no data: InputError naming the file, not a DataView RangeError', () => {
    assert.throws(() => decodeStc(stcBytes([0, 0, 1, 7]), 'x-lh.stc'), (e: unknown) => e instanceof InputError && /x-lh\.stc/.test(e.message));
    assert.throws(() => decodeStc(stcBytes([0, 0, 1, 7, 9]), 'y-lh.stc'), (e: unknown) => e instanceof InputError && /incorrect stc file size/.test(e.message));
  });

  it('a header claiming 2³²−1 times for 2 vertices: InputError before any allocation', () => {
    assert.throws(() => decodeStc(stcBytes([0, 0, 2, 1, 2, 0xffffffff, 0, 0]), 'z-lh.stc'), InputError);
  });

  it('an empty hemisphere with the same ntimes still reads (a left-only result)', async () => {
    const data = Matrix.fromRows([[1, 2, 3]]);
    fs.writeFileSync(path.join(dir, 'c-lh.stc'), encodeStc(0, 0.001, Int32Array.from([4]), data));
    fs.writeFileSync(path.join(dir, 'c-rh.stc'), encodeStc(0, 0.001, new Int32Array(0), new Matrix(0, 3)));
    const stc = await readStc(path.join(dir, 'c-lh.stc'));
    assert.deepEqual([stc.data.rows, stc.data.cols], [1, 3]);
    assert.deepEqual(Array.from(stc.data.data), [1, 2, 3]);
  });

  it('a missing hemisphere: the read error, after both reads have settled', async () => {
    fs.writeFileSync(path.join(dir, 'd-lh.stc'), encodeStc(0, 0.001, Int32Array.from([4]), Matrix.fromRows([[1]])));
    await rejects(readStc(path.join(dir, 'd')), InputError, /d-rh\.stc/);
  });
});

describe('reliability: readDip parses numbers strictly', () => {
  const header = '# CoordinateSystem "Head"\n#   begin     end   X (mm)   Y (mm)   Z (mm)   Q(nAm)  Qx(nAm)  Qy(nAm)  Qz(nAm)    g/%\n';
  const row = (v: string) => `  ${v} 0.0 1.00 2.00 3.00 4.000 0.000 0.000 4.000 50.00\n`;
  for (const word of ['abc', '--1', '1,5', '0x10', '1e', '']) {
    it(`"${word}" in a row is an InputError naming the file and line`, () => {
      const text = header + row('10.0') + row(word === '' ? '.' : word);
      assert.throws(() => decodeDip(text, 'bad.dip'), (e: unknown) => e instanceof InputError && /bad\.dip line 4/.test(e.message));
    });
  }
  it('what Python float() reads still reads: exponents, signs, inf, nan', () => {
    const t = decodeDip(header + row('1e1') + row('+.5') + row('-inf') + row('nan'), 'ok.dip');
    assert.deepEqual(Array.from(t.times), [0.01, 0.0005, -Infinity, NaN]);
  });
});

describe('reliability: only regular files are read', () => {
  it('/dev/zero as a FIF file: FiffError at once, not a read until out of memory', async () => {
    await rejects(openFiff('/dev/zero'), FiffError, /\/dev\/zero.*character device/);
  });
  it('/dev/zero as .dip and .bdip: InputError', async () => {
    await rejects(readDip('/dev/zero'), InputError, /character device/);
    await rejects(readBdip('/dev/zero'), InputError, /character device/);
  });
  it('a FIFO with no writer: InputError, not a read that blocks forever', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-fifo-'));
    try {
      const fifo = path.join(dir, 'x-ave.fif');
      execFileSync('mkfifo', [fifo]);
      await rejects(openFiff(fifo), FiffError, /FIFO/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('a folder: FiffError', async () => {
    await rejects(openFiff(os.tmpdir()), FiffError, /folder/);
  });
});
