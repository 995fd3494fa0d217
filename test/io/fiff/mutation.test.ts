/**
 * Property: mutated FIF files (bit flips, odd integers in tag headers and matrix dims, truncation,
 * spliced, inserted and deleted bytes), from a seeded RNG, either read or fail with FiffError /
 * InputError: never another exception, a hang or a runaway allocation.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { FiffError, InputError } from '../../../lib/errors.js';
import { fiffFromBuffer, parseFiff, type DirEntry, type FiffFile } from '../../../lib/io/fiff/fiffFile.js';
import { readCovFrom } from '../../../lib/io/fiff/readCov.js';
import { readEvokedFrom } from '../../../lib/io/fiff/readEvoked.js';
import { readForwardFrom } from '../../../lib/io/fiff/readForward.js';
import { encodeEvoked } from '../../../lib/io/fiff/writeEvoked.js';
import { Matrix } from '../../../lib/linalg/matrix.js';
import { Evoked } from '../../../lib/records/evoked.js';
import type { Info } from '../../../lib/records/info.js';
import { fixture, requireFixtures } from '../../helpers/fixtures.js';
import { rng } from '../../helpers/random.js';

const ODD = [0, 1, -1, 2, 3, 16, 20, 0x7fffffff, -0x80000000, 0x40000004, 0x40000003, 0x40100004, 1 << 20, 65536];

type Mutator = (b: Buffer, dir: DirEntry[], r: () => number) => Buffer;
const int = (r: () => number, n: number) => Math.floor(r() * n);

const mutators: [string, Mutator][] = [
  ['bit flips anywhere', (b, _d, r) => { for (let k = 1 + int(r, 8); k > 0; k--) b[int(r, b.length)] ^= 1 << int(r, 8); return b; }],
  ['bit flip in a tag header or its last 16 bytes', (b, d, r) => {
    const e = d[int(r, d.length)];
    const o = r() < 0.5 ? e.pos + int(r, 16) : e.pos + 16 + Math.max(0, e.size - 16) + int(r, Math.min(16, e.size) || 1);
    if (o < b.length) b[o] ^= 1 << int(r, 8);
    return b;
  }],
  ['odd int32 in a tag header or matrix dims', (b, d, r) => {
    const e = d[int(r, d.length)];
    const o = r() < 0.6 ? e.pos + 4 * int(r, 4) : e.pos + 16 + e.size - 4 * (1 + int(r, 3));
    if (o >= 0 && o + 4 <= b.length) b.writeInt32BE(r() < 0.8 ? ODD[int(r, ODD.length)] : int(r, b.length), o);
    return b;
  }],
  ['truncation', (b, _d, r) => b.subarray(0, int(r, b.length))],
  ['spliced chunk', (b, _d, r) => { const n = 1 + int(r, 64); b.copy(b, int(r, b.length - n), int(r, b.length - n), undefined); return b; }],
  ['inserted or deleted bytes', (b, _d, r) => {
    const at = int(r, b.length);
    const n = 1 + int(r, 32);
    return r() < 0.5 ? Buffer.concat([b.subarray(0, at), Buffer.alloc(n, int(r, 256)), b.subarray(at)]) : Buffer.concat([b.subarray(0, at), b.subarray(at + n)]);
  }],
];

/** A small mxne-written evoked whose projector is inactive, so reading it runs the projector code. */
function syntheticEvoked(): Buffer {
  const chs = Array.from({ length: 8 }, (_, k) => ({
    name: `EEG 00${k}`, kind: 2, type: 'eeg' as const, coilType: 1, unit: 107, unitMul: 0, cal: 1, range: 1, logNo: k, scanNo: k,
    loc: new Float64Array(12), coordFrame: 4,
  }));
  const names = chs.map((c) => c.name);
  const info: Info = {
    chs, chNames: names, nchan: 8, bads: ['EEG 003'], sfreq: 100, highpass: 0, lowpass: 50, devHeadT: null, compGrade: 0,
    projs: [{ desc: 'avg', kind: 10, active: false, colNames: names, data: new Matrix(1, 8, new Float64Array(8).fill(0.25)) }],
  };
  return encodeEvoked(new Evoked(info, new Matrix(8, 20, Float64Array.from({ length: 160 }, (_, k) => Math.sin(k))), -5, 3, 'syn'));
}

const cases: { file: string; runs: number; bytes?: () => Buffer; read: (f: FiffFile) => unknown }[] = [
  { file: 'left_auditory-ave.fif', runs: 600, read: (f) => readEvokedFrom(f, { baseline: [null, 0] }).crop(0, 0.3) },
  { file: 'noise-cov.fif', runs: 1000, read: (f) => readCovFrom(f) },
  { file: 'surf-small-fwd.fif', runs: 150, read: (f) => readForwardFrom(f) },
  { file: 'synthetic-ave.fif', runs: 2000, bytes: syntheticEvoked, read: (f) => readEvokedFrom(f, { baseline: [null, 0] }) },
];

describe('FIF mutation property: only FiffError / InputError or a successful read', function () {
  requireFixtures(this);
  for (const c of cases) {
    it(`${c.file}: ${c.runs} seeded mutations`, async () => {
      const orig = c.bytes?.() ?? fs.readFileSync(fixture('inputs', c.file));
      const dir = parseFiff(c.file, orig).directory;
      const r = rng(20261124);
      const tally = { ok: 0, fiff: 0, input: 0 };
      for (let i = 0; i < c.runs; i++) {
        const [what, mutate] = mutators[i % mutators.length];
        const bytes = mutate(Buffer.from(orig), dir, r);
        try {
          await c.read(await fiffFromBuffer(c.file, bytes));
          tally.ok++;
        } catch (e) {
          if (e instanceof FiffError) tally.fiff++;
          else if (e instanceof InputError) tally.input++;
          else assert.fail(`run ${i} (${what}): unexpected ${(e as Error)?.stack ?? String(e)}`);
        }
      }
      // Both outcomes must actually occur, or the mutations are not exercising the reader.
      assert.ok(tally.ok > 0 && tally.fiff > 0, JSON.stringify(tally));
    });
  }
});
