/**
 * tagColumnMajor (the readers' one-pass path for dense matrix tags: source-space points, epochs,
 * projection vectors, covariance eigenvectors) gives exactly tagMatrix's values in column-major
 * order, for every element type and for 1-D tags, and checks the stated dims like tagMatrix.
 */
import * as assert from 'node:assert/strict';
import { FIFF } from '../../../lib/io/fiff/constants.js';
import { parseFiff, type FiffFile } from '../../../lib/io/fiff/fiffFile.js';
import { tagColumnMajor, tagMatrix } from '../../../lib/io/fiff/matrixTag.js';
import { findEntry, findNodes } from '../../../lib/io/fiff/tree.js';
import { FiffWriter, newFileId } from '../../../lib/io/fiff/writer.js';
import { FiffError } from '../../../lib/errors.js';
import { Matrix } from '../../../lib/linalg/matrix.js';

const be = (values: number[], write: (b: Buffer, v: number, o: number) => void, width: number) => {
  const b = Buffer.alloc(values.length * width);
  values.forEach((v, k) => write(b, v, k * width));
  return b;
};
const dimsTail = (dims: number[]) => be([...dims.slice().reverse(), dims.length], (b, v, o) => b.writeInt32BE(v, o), 4);

describe('io/fiff: tagColumnMajor', () => {
  // Values that float32 rounds, a negative zero, large ints: widening must be exact.
  const r = 3, c = 4;
  const values = Array.from({ length: r * c }, (_, k) => (k % 2 === 0 ? -1 : 1) * (k + 0.1) / 7);
  values[5] = -0;
  const ints = Array.from({ length: r * c }, (_, k) => (k % 3 === 0 ? -1 : 1) * (2 ** 31 - 1 - k * 1000));

  function file(): FiffFile {
    const w = new FiffWriter(newFileId(1700000000000));
    w.startBlock(FIFF.FIFFB_MEAS)
      .floatMatrix(FIFF.FIFF_EPOCH, r, c, values)
      .doubleMatrix(FIFF.FIFF_MNE_COV_EIGENVECTORS, r, c, values)
      .intMatrix(FIFF.FIFF_MNE_SOURCE_SPACE_TRIANGLES, r, c, ints)
      .tag(FIFF.FIFF_MNE_SOURCE_SPACE_NEAREST_DIST, FIFF.FIFFT_MATRIX | FIFF.FIFFT_FLOAT, be(values.slice(0, 5), (b, v, o) => b.writeFloatBE(v, o), 4), dimsTail([5]))
      .tag(FIFF.FIFF_MNE_SOURCE_SPACE_POINTS, FIFF.FIFFT_MATRIX | FIFF.FIFFT_FLOAT, be(values.slice(0, 6), (b, v, o) => b.writeFloatBE(v, o), 4), dimsTail([4, 3]))
      .endBlock(FIFF.FIFFB_MEAS);
    return parseFiff('mem.fif', w.finish());
  }

  const f = file();
  const e = (kind: number) => findEntry(findNodes(f.tree, FIFF.FIFFB_MEAS)[0], kind)!;
  /** tagMatrix's row-major values as a column-major Matrix: what the readers built before. */
  const reference = (kind: number) => {
    const m = tagMatrix(f, e(kind));
    const [rows, cols] = m.dims.length === 1 ? [m.dims[0], 1] : m.dims;
    return Matrix.fromRowMajor(rows, cols, m.data);
  };
  const bits = (m: Matrix) => [m.rows, m.cols, Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength).toString('hex')];

  it('float, double and int matrices: tagMatrix\'s values bit for bit, column-major', () => {
    for (const kind of [FIFF.FIFF_EPOCH, FIFF.FIFF_MNE_COV_EIGENVECTORS, FIFF.FIFF_MNE_SOURCE_SPACE_TRIANGLES]) {
      const got = tagColumnMajor(f, e(kind));
      assert.deepEqual(bits(got), bits(reference(kind)), `kind ${kind}`);
    }
    const m = tagColumnMajor(f, e(FIFF.FIFF_MNE_COV_EIGENVECTORS));
    assert.equal(m.get(1, 2), values[1 * c + 2]);
    assert.ok(Object.is(m.get(1, 1), -0));
    assert.equal(tagColumnMajor(f, e(FIFF.FIFF_EPOCH)).get(2, 3), Math.fround(values[2 * c + 3]));
    assert.equal(tagColumnMajor(f, e(FIFF.FIFF_MNE_SOURCE_SPACE_TRIANGLES)).get(2, 1), ints[2 * c + 1]);
  });

  it('a 1-D tag is one column', () => {
    const m = tagColumnMajor(f, e(FIFF.FIFF_MNE_SOURCE_SPACE_NEAREST_DIST));
    assert.deepEqual([m.rows, m.cols], [5, 1]);
    assert.deepEqual(Array.from(m.data), values.slice(0, 5).map(Math.fround));
  });

  it('dims that need more bytes than the tag holds are a FiffError, before anything is allocated', () => {
    assert.throws(() => tagColumnMajor(f, e(FIFF.FIFF_MNE_SOURCE_SPACE_POINTS)), (err: unknown) =>
      err instanceof FiffError && /matrix dims \[4, 3\] need 60 bytes but the tag has 36/.test(err.message));
  });
});
