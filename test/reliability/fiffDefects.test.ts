/**
 * Issue 15 §2, the FIF defects: decompression bombs (inflation stops as soon as the bytes cannot
 * be a FIF file; measured as the peak RSS of a child process), and duplicate channel names in the
 * evoked, the covariance or the forward (MNE refuses them; they changed the answer).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { FiffError } from '../../lib/errors.js';
import { demoCovariance, makeCortex, makeDemoInfo, makeForward } from '../../lib/demo/index.js';
import { fiffFromBuffer, parseFiff } from '../../lib/io/fiff/fiffFile.js';
import { readCovFrom } from '../../lib/io/fiff/readCov.js';
import { readEvokedFrom } from '../../lib/io/fiff/readEvoked.js';
import { readForwardFrom } from '../../lib/io/fiff/readForward.js';
import { encodeCov } from '../../lib/io/fiff/writeCov.js';
import { encodeEvoked } from '../../lib/io/fiff/writeEvoked.js';
import { encodeForward } from '../../lib/io/fiff/writeForward.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { packageRoot } from '../../lib/native.js';
import { Evoked } from '../../lib/records/evoked.js';
import type { Info } from '../../lib/records/info.js';

/** A gzip member of `zeros` zero bytes, compressed as a stream (never holding the zeros). */
async function gzipZeros(zeros: number): Promise<Buffer> {
  const z = zlib.createGzip({ level: 1 });
  const out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => z.on('end', resolve));
  const mb = Buffer.alloc(1 << 20);
  for (let k = 0; k < zeros / mb.length; k++) if (!z.write(mb)) await new Promise((r) => z.once('drain', r));
  z.end();
  await done;
  return Buffer.concat(out);
}

/** The file id and directory pointer tags of a FIF file, then a last tag (next = -1). */
function fifStart(): Buffer {
  const b = Buffer.alloc(16 + 20 + 16 + 4 + 16);
  b.writeInt32BE(100, 0); b.writeInt32BE(31, 4); b.writeInt32BE(20, 8);
  b.writeInt32BE(101, 36); b.writeInt32BE(3, 40); b.writeInt32BE(4, 44); b.writeInt32BE(-1, 52);
  b.writeInt32BE(108, 56); b.writeInt32BE(0, 60); b.writeInt32BE(0, 64); b.writeInt32BE(-1, 68);
  return b;
}

/**
 * Reads `file` with openFiff in a fresh process; returns its error message and peak RSS in MB.
 * The peak is the child's VmHWM, not getrusage's maxRSS: Linux carries the forking parent's RSS
 * into the child's maxRSS across exec, so under ASan (a mocha parent of 500 MB) maxRSS measured
 * the parent.
 */
function readInChild(file: string): { message: string; maxRssMb: number } {
  const lib = path.join(packageRoot(), 'dist', 'lib', 'io', 'fiff', 'fiffFile.js');
  const script = `const hwm = () => { try { return +/VmHWM:\\s*(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]; }
      catch { return process.resourceUsage().maxRSS; } };
    require(${JSON.stringify(lib)}).openFiff(${JSON.stringify(file)}).then(() => 'read', (e) => e.name + ': ' + e.message)
    .then((m) => console.log(JSON.stringify({ message: m, maxRssMb: hwm() / 1024 })))`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { message: string; maxRssMb: number };
}

describe('reliability: a gzip bomb stops inflating at the first impossible byte', function () {
  this.timeout(120000);
  let dir = '';
  let zeros: Buffer = Buffer.alloc(0);
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-bomb-'));
    zeros = await gzipZeros(512 << 20);
  });
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('512 MB of zeros: FiffError at offset 0 with a peak RSS far below the inflated size', async () => {
    const file = path.join(dir, 'zeros-ave.fif.gz');
    fs.writeFileSync(file, zeros);
    const r = readInChild(file);
    assert.match(r.message, /^FiffError: .*zeros-ave\.fif\.gz @0.*file id/);
    assert.ok(r.maxRssMb < 200, `peak RSS ${r.maxRssMb.toFixed(0)} MB`);
  });

  it('a valid FIF start, its last tag, then 512 MB of zeros: FiffError once the data runs past the last tag', async () => {
    const file = path.join(dir, 'tail-ave.fif.gz');
    // Two gzip members (gunzip reads them as one stream): the FIF start, then the zeros.
    fs.writeFileSync(file, Buffer.concat([zlib.gzipSync(fifStart()), zeros]));
    const r = readInChild(file);
    assert.match(r.message, /^FiffError: .*tail-ave\.fif\.gz @72.*end after its last tag/);
    assert.ok(r.maxRssMb < 200, `peak RSS ${r.maxRssMb.toFixed(0)} MB`);
  });

  it('the same start without the zeros still opens (gzip path intact)', async () => {
    const f = await fiffFromBuffer('ok.fif.gz', zlib.gzipSync(fifStart()));
    assert.equal(f.buf.length, fifStart().length);
  });
});

describe('reliability: duplicate channel names are refused, naming file and channel', () => {
  const info = makeDemoInfo({ eeg: true });
  const dup = info.chNames[0];
  const chs = info.chs.map((c, k) => (k === 1 ? { ...c, name: dup } : c));
  const dupInfo: Info = { ...info, chs, chNames: chs.map((c) => c.name), projs: [] };
  const isDupError = (file: string) => (e: unknown) => e instanceof FiffError && e.file === file && e.message.includes(`"${dup}"`);

  it('in the evoked', () => {
    const bytes = encodeEvoked(new Evoked(dupInfo, new Matrix(dupInfo.nchan, 5), 0, 1, 'dup'));
    assert.throws(() => readEvokedFrom(parseFiff('dup-ave.fif', bytes)), isDupError('dup-ave.fif'));
  });
  it('in the covariance', () => {
    const bytes = encodeCov(demoCovariance(dupInfo));
    assert.throws(() => readCovFrom(parseFiff('dup-cov.fif', bytes)), isDupError('dup-cov.fif'));
  });
  it('in the forward', async () => {
    const fwd = makeForward(info, makeCortex(40, 1), 'point');
    const bytes = encodeForward({ ...fwd, chNames: dupInfo.chNames, info: { ...fwd.info, chs, chNames: dupInfo.chNames } });
    const f = await fiffFromBuffer('dup-fwd.fif', bytes);
    await assert.rejects(readForwardFrom(f), isDupError('dup-fwd.fif'));
  });
});

