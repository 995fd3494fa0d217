/**
 * Corrupt FIF files: each defect gives a FiffError naming the file, the byte offset of the
 * offending tag (or block) and what was expected, never a crash, a hang or a huge allocation.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { FiffError, InputError } from '../../../lib/errors.js';
import { FIFF } from '../../../lib/io/fiff/constants.js';
import { fiffFromBuffer, parseFiff } from '../../../lib/io/fiff/fiffFile.js';
import { readCovFrom } from '../../../lib/io/fiff/readCov.js';
import { readEvokedFrom } from '../../../lib/io/fiff/readEvoked.js';
import { readForwardFrom } from '../../../lib/io/fiff/readForward.js';
import { findEntry, findNodes } from '../../../lib/io/fiff/tree.js';
import { fixture, requireFixtures } from '../../helpers/fixtures.js';

const NAME = 'corrupt-ave.fif';

async function rejectsFiff(run: () => Promise<unknown>, offset: number | null, message: RegExp): Promise<void> {
  await assert.rejects(run, (e: unknown) => {
    assert.ok(e instanceof FiffError, `expected a FiffError, got ${String(e)}`);
    assert.equal(e.file, NAME);
    if (offset !== null) assert.equal(e.offset, offset, e.message);
    assert.match(e.message, message);
    return true;
  });
}

describe('FIF bad input gives FiffError with file, offset and expectation', function () {
  requireFixtures(this);
  let orig: Buffer;
  const evoked = (bytes: Buffer) => async () => readEvokedFrom(await fiffFromBuffer(NAME, bytes));
  const entry = (block: number, kind: number) => {
    const f = parseFiff(NAME, orig);
    return findEntry(findNodes(f.tree, block)[0], kind)!;
  };
  before(() => { orig = fs.readFileSync(fixture('inputs', 'left_auditory-ave.fif')); });

  it('truncated file: the tag that runs past the end', async () => {
    const epoch = entry(FIFF.FIFFB_ASPECT, FIFF.FIFF_EPOCH);
    await rejectsFiff(evoked(orig.subarray(0, epoch.pos + 1000)), epoch.pos, /runs past the end of the \d+-byte file/);
    await rejectsFiff(evoked(orig.subarray(0, 10)), 0, /not a FIF file: it does not start with a FIF file id/);
  });

  it('wrong magic: no file id tag at offset 0', async () => {
    const b = Buffer.from(orig);
    b.writeInt32BE(0x12345678, 0);
    await rejectsFiff(evoked(b), 0, /not a FIF file: it does not start with a FIF file id/);
  });

  it('tag length past EOF', async () => {
    const nchan = entry(FIFF.FIFFB_MEAS_INFO, FIFF.FIFF_NCHAN);
    const b = Buffer.from(orig);
    b.writeInt32BE(0x7fff0000, nchan.pos + 8);
    await rejectsFiff(evoked(b), nchan.pos, /tag length 2147418112 runs past the end/);
  });

  it('next pointers that loop back, and a directory pointer to a non-directory', async () => {
    const nchan = entry(FIFF.FIFFB_MEAS_INFO, FIFF.FIFF_NCHAN);
    const epoch = entry(FIFF.FIFFB_ASPECT, FIFF.FIFF_EPOCH);
    const b = Buffer.from(orig);
    b.writeInt32BE(nchan.pos, epoch.pos + 12);
    await rejectsFiff(evoked(b), nchan.pos, /loops back/);
    const c = Buffer.from(orig);
    c.writeInt32BE(nchan.pos, 36 + 16);
    await rejectsFiff(evoked(c), nchan.pos, /expected a directory tag/);
  });

  it('matrix whose stated dims do not fit its bytes', async () => {
    const epoch = entry(FIFF.FIFFB_ASPECT, FIFF.FIFF_EPOCH);
    const b = Buffer.from(orig);
    const end = epoch.pos + 16 + epoch.size;
    b.writeInt32BE(100000, end - 8);
    await rejectsFiff(evoked(b), epoch.pos, /matrix dims \[100000, 421\] need 168400012 bytes but the tag has 633196/);
  });

  it('missing required tag names the block and the kind', async () => {
    const info = findNodes(parseFiff(NAME, orig).tree, FIFF.FIFFB_MEAS_INFO)[0];
    const nchan = findEntry(info, FIFF.FIFF_NCHAN)!;
    const b = Buffer.from(orig);
    b.writeInt32BE(9999, nchan.pos);
    await rejectsFiff(evoked(b), info.pos, /expected the number of channels/);
    await assert.rejects(evoked(b), { kind: FIFF.FIFF_NCHAN });
  });

  it('a file read as the wrong kind says what it is', async () => {
    const f = await fiffFromBuffer(NAME, orig);
    assert.throws(() => readCovFrom(f), (e: unknown) => e instanceof FiffError && e.reason === 'this file is evoked data (-ave.fif), not a noise covariance (-cov.fif)');
    await assert.rejects(readForwardFrom(f), (e: unknown) => e instanceof FiffError && e.reason === 'this file is evoked data (-ave.fif), not a forward solution (-fwd.fif)');
  });

  it('unknown condition: an InputError listing the conditions in the file (no byte offset: nothing is corrupt)', async () => {
    const run = async () => readEvokedFrom(await fiffFromBuffer(NAME, orig), { condition: 'Right Auditory' });
    await assert.rejects(run, (e: unknown) => e instanceof InputError && e.field === 'condition' && e.received === '"Right Auditory"' &&
      e.message === `Expected one of the conditions in ${NAME}: "Left Auditory" (or an index from 0) for condition but received "Right Auditory"`);
  });

  it('gzip: a .fif.gz reads as the plain file; a broken gzip stream is a FiffError', async () => {
    const gz = zlib.gzipSync(orig, { level: 1 });
    const [a, b] = [await evoked(orig)(), await evoked(gz)()];
    assert.deepEqual(a.data.data, b.data.data);
    await rejectsFiff(evoked(gz.subarray(0, gz.length >> 1)), 0, /gzip/);
  });

  it('covariance and forward: inconsistent dimensions', async () => {
    const cov = fs.readFileSync(fixture('inputs', 'noise-cov.fif'));
    const dim = findEntry(findNodes(parseFiff(NAME, cov).tree, FIFF.FIFFB_MNE_COV)[0], FIFF.FIFF_MNE_COV_DIM)!;
    const c = Buffer.from(cov);
    c.writeInt32BE(365, dim.pos + 16);
    await rejectsFiff(async () => readCovFrom(await fiffFromBuffer(NAME, c)), null, /expected 365 channel names, found 366/);
    const fwd = fs.readFileSync(fixture('inputs', 'surf-small-fwd.fif'));
    const meg = findNodes(parseFiff(NAME, fwd).tree, FIFF.FIFFB_MNE_FORWARD_SOLUTION)[0];
    const n = findEntry(meg, FIFF.FIFF_NCHAN)!;
    const d = Buffer.from(fwd);
    d.writeInt32BE(305, n.pos + 16);
    await rejectsFiff(async () => readForwardFrom(await fiffFromBuffer(NAME, d)), null, /expected a 305 x \(900 or 2700\) gain, found 306 x 2700/);
  });
});
