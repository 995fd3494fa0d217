/** FiffWriter primitives: every tag type written by mxne decodes back to the same values. */
import * as assert from 'node:assert/strict';
import { Matrix } from '../../../lib/linalg/matrix.js';
import { FIFF } from '../../../lib/io/fiff/constants.js';
import { parseFiff } from '../../../lib/io/fiff/fiffFile.js';
import { tagIntMatrix, tagMatrix, tagSparse } from '../../../lib/io/fiff/matrixTag.js';
import { tagChInfo, tagCoordTrans, tagId } from '../../../lib/io/fiff/structs.js';
import { tagFloats, tagInts, tagNumber, tagString } from '../../../lib/io/fiff/tag.js';
import { findEntry, findNodes } from '../../../lib/io/fiff/tree.js';
import { FiffWriter, newFileId } from '../../../lib/io/fiff/writer.js';
import type { ChannelInfo } from '../../../lib/records/info.js';

const f32 = (x: number) => Math.fround(x);

describe('FiffWriter', () => {
  const ch: ChannelInfo = {
    name: 'MEG 0113', kind: 1, type: 'grad', coilType: 3012, unit: 201, unitMul: 0, cal: 3.1e-13, range: 1, logNo: 113, scanNo: 1,
    loc: Float64Array.from({ length: 12 }, (_, k) => k / 7), coordFrame: 1,
  };
  const trans = Matrix.fromRows([[0, -1, 0, 0.01], [1, 0, 0, 0.02], [0, 0, 1, 0.03], [0, 0, 0, 1]]);
  const id = newFileId(1700000000123);

  function build(): Buffer {
    const w = new FiffWriter(id);
    w.startBlock(FIFF.FIFFB_MEAS).startBlock(FIFF.FIFFB_MEAS_INFO)
      .int(FIFF.FIFF_NCHAN, 7).int(FIFF.FIFF_MNE_SOURCE_SPACE_SELECTION, [0, 1, 1, 0])
      .float(FIFF.FIFF_SFREQ, 600.6).double(FIFF.FIFF_MNE_COV, [1.5, -2.25, Math.PI])
      .string(FIFF.FIFF_COMMENT, 'Left Auditory').nameList(FIFF.FIFF_MNE_ROW_NAMES, ['A', 'B'])
      .chInfo(ch).coordTrans({ from: 1, to: 4, trans })
      .floatMatrix(FIFF.FIFF_EPOCH, 2, 3, [1, 2, 3, 4, 5, 6.1])
      .doubleMatrix(FIFF.FIFF_MNE_COV_EIGENVECTORS, 2, 2, [1, Math.E, 3, 4])
      .intMatrix(FIFF.FIFF_MNE_SOURCE_SPACE_TRIANGLES, 1, 3, [1, 2, 3])
      .floatSparse(FIFF.FIFF_MNE_SOURCE_SPACE_DIST, { format: 'csr', rows: 2, cols: 3, indptr: Int32Array.from([0, 1, 3]), indices: Int32Array.from([2, 0, 1]), data: Float64Array.from([0.5, 1, 2]) })
      .endBlock(FIFF.FIFFB_MEAS_INFO).endBlock(FIFF.FIFFB_MEAS);
    return w.finish();
  }

  it('writes a file whose tree and tags read back exactly', () => {
    const f = parseFiff('mem.fif', build());
    const node = findNodes(f.tree, FIFF.FIFFB_MEAS_INFO)[0];
    const e = (kind: number) => findEntry(node, kind)!;
    assert.deepEqual(tagId(f, findEntry(f.tree, FIFF.FIFF_FILE_ID)!), id);
    assert.equal(tagNumber(f, e(FIFF.FIFF_NCHAN)), 7);
    assert.deepEqual(Array.from(tagInts(f, e(FIFF.FIFF_MNE_SOURCE_SPACE_SELECTION))), [0, 1, 1, 0]);
    assert.equal(tagNumber(f, e(FIFF.FIFF_SFREQ)), f32(600.6));
    assert.deepEqual(Array.from(tagFloats(f, e(FIFF.FIFF_MNE_COV))), [1.5, -2.25, Math.PI]);
    assert.equal(tagString(f, e(FIFF.FIFF_COMMENT)), 'Left Auditory');
    assert.equal(tagString(f, e(FIFF.FIFF_MNE_ROW_NAMES)), 'A:B');
    const got = tagChInfo(f, e(FIFF.FIFF_CH_INFO));
    assert.deepEqual({ ...got, loc: Array.from(got.loc) }, { ...ch, cal: f32(ch.cal), loc: Array.from(ch.loc, f32) });
    const t = tagCoordTrans(f, e(FIFF.FIFF_COORD_TRANS));
    assert.deepEqual([t.from, t.to, Array.from(t.trans.data)], [1, 4, Array.from(trans.data, f32)]);
    assert.deepEqual(tagMatrix(f, e(FIFF.FIFF_EPOCH)), { dims: [2, 3], data: Float64Array.from([1, 2, 3, 4, 5, f32(6.1)]) });
    assert.deepEqual(tagMatrix(f, e(FIFF.FIFF_MNE_COV_EIGENVECTORS)), { dims: [2, 2], data: Float64Array.from([1, Math.E, 3, 4]) });
    assert.deepEqual(tagIntMatrix(f, e(FIFF.FIFF_MNE_SOURCE_SPACE_TRIANGLES)), { dims: [1, 3], data: Int32Array.from([1, 2, 3]) });
    const s = tagSparse(f, e(FIFF.FIFF_MNE_SOURCE_SPACE_DIST));
    assert.deepEqual([s.format, s.rows, s.cols, Array.from(s.indptr), Array.from(s.indices), Array.from(s.data)], ['csr', 2, 3, [0, 1, 3], [2, 0, 1], [0.5, 1, 2]]);
  });

  it('writes a tag directory on request; the tree is the same as from the sequential scan', () => {
    const plain = parseFiff('plain.fif', build());
    const withDir = parseFiff('dir.fif', new FiffWriter(id).startBlock(FIFF.FIFFB_MEAS).int(FIFF.FIFF_NCHAN, 7).endBlock(FIFF.FIFFB_MEAS).finish({ directory: true }));
    assert.equal(withDir.buf.readInt32BE(52), withDir.directory[withDir.directory.length - 1].pos);
    assert.deepEqual(withDir.directory.map((e) => e.kind), [100, 101, 106, 104, 200, 105, 102]);
    assert.equal(tagNumber(withDir, findEntry(findNodes(withDir.tree, FIFF.FIFFB_MEAS)[0], FIFF.FIFF_NCHAN)!), 7);
    // A file written with a directory reads like one without.
    const b = parseFiff('b.fif', (() => { const w = new FiffWriter(id); w.startBlock(FIFF.FIFFB_MEAS).int(FIFF.FIFF_NCHAN, 7).endBlock(FIFF.FIFFB_MEAS); return w.finish(); })());
    assert.deepEqual(b.tree.children.map((c) => c.directory.map((e) => [e.kind, e.pos])), withDir.tree.children.map((c) => c.directory.map((e) => [e.kind, e.pos])));
    assert.ok(plain.directory.length > 10);
  });

  it('a directory entry pointing past the end fails when the tag is read, naming its offset', () => {
    const bytes = new FiffWriter(id).startBlock(FIFF.FIFFB_MEAS).int(FIFF.FIFF_NCHAN, 7).endBlock(FIFF.FIFFB_MEAS).finish({ directory: true });
    const dirpos = bytes.readInt32BE(52);
    bytes.writeInt32BE(999999, dirpos + 16 + 4 * 16 + 12);
    const f = parseFiff('bad-dir.fif', bytes);
    const e = findEntry(findNodes(f.tree, FIFF.FIFFB_MEAS)[0], FIFF.FIFF_NCHAN)!;
    assert.throws(() => tagNumber(f, e), { name: 'FiffError', offset: 999999 });
  });

  it('ends the file with a NOP whose next is -1, and rejects bad shapes and long names', () => {
    const b = build();
    assert.deepEqual([b.readInt32BE(b.length - 16), b.readInt32BE(b.length - 4)], [FIFF.FIFF_NOP, -1]);
    const w = new FiffWriter();
    assert.throws(() => w.floatMatrix(1, 2, 2, [1, 2, 3]), { name: 'InputError' });
    assert.throws(() => w.chInfo({ ...ch, name: 'A very long channel name' }), { name: 'InputError' });
  });
});
