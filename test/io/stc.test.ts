import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeStc, encodeStc, readStc, writeStc } from '../../lib/io/stc.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import type { SourceEstimate } from '../../lib/records/sourceEstimate.js';
import { randn } from '../helpers/random.js';

const f32 = (x: number) => Math.fround(x);

function surfaceStc(): SourceEstimate {
  return {
    kind: 'surface', vector: false, vertices: [Int32Array.from([3, 17, 40]), Int32Array.from([5, 9])],
    data: randn(5, 7, 3), tmin: -3.1635573327637445e-09, tstep: 0.0016649601096532323, subject: 'sample',
  };
}

describe('io: .stc (MNE binary format)', function () {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-stc-')); });
  // A skip in an earlier before hook leaves dir unset; after hooks still run.
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('lays out the header and time-major big-endian float32 data as _write_stc', function () {
    const data = Matrix.fromRows([[1, 2, 3], [4, 5, 6]]);
    const bytes = encodeStc(0.1, 0.002, Int32Array.from([7, 300]), data);
    const v = new DataView(bytes.buffer);
    assert.equal(bytes.byteLength, 4 * (4 + 2 + 6));
    assert.equal(v.getFloat32(0), f32(100));
    assert.equal(v.getFloat32(4), f32(2));
    assert.deepEqual([v.getUint32(8), v.getUint32(12), v.getUint32(16), v.getUint32(20)], [2, 7, 300, 3]);
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((k) => v.getFloat32(24 + 4 * k)), [1, 4, 2, 5, 3, 6]);
  });

  it('round-trips a surface estimate through -lh.stc / -rh.stc (float32 precision)', async function () {
    const stc = surfaceStc();
    const files = await writeStc(path.join(dir, 'surf'), stc);
    assert.deepEqual(files.map((f) => path.basename(f)), ['surf-lh.stc', 'surf-rh.stc']);
    for (const name of [files[0], files[1], path.join(dir, 'surf')]) {
      const back = await readStc(name, 'sample');
      assert.equal(back.kind, 'surface');
      assert.deepEqual(back.vertices, stc.vertices);
      assert.equal(back.tmin, f32(1000 * stc.tmin) / 1000);
      assert.equal(back.tstep, f32(1000 * stc.tstep) / 1000);
      assert.deepEqual(Array.from(back.data.data), Array.from(stc.data.data, f32));
    }
    assert.deepEqual(fs.readdirSync(dir).sort(), ['surf-lh.stc', 'surf-rh.stc'], 'no temporary files left');
  });

  it('round-trips a volume estimate through -vl.stc and an empty hemisphere', async function () {
    const vol: SourceEstimate = { ...surfaceStc(), kind: 'volume', vertices: [Int32Array.from([1, 2, 3, 4, 5])] };
    const [file] = await writeStc(path.join(dir, 'vol'), vol);
    assert.equal(path.basename(file), 'vol-vl.stc');
    const back = await readStc(file);
    assert.equal(back.kind, 'volume');
    assert.deepEqual(Array.from(back.data.data), Array.from(vol.data.data, f32));
    const oneSided: SourceEstimate = { ...surfaceStc(), vertices: [Int32Array.from([1, 2, 3, 4, 5]), new Int32Array(0)] };
    await writeStc(path.join(dir, 'lhonly'), oneSided);
    const b2 = await readStc(path.join(dir, 'lhonly'));
    assert.deepEqual(b2.vertices.map((v) => v.length), [5, 0]);
    assert.deepEqual(Array.from(b2.data.data), Array.from(oneSided.data.data, f32));
  });

  it('rejects vector estimates (MNE writes those only as .h5) and truncated files', async function () {
    await assert.rejects(writeStc(path.join(dir, 'v'), { ...surfaceStc(), vector: true }), /vector/);
    const bytes = encodeStc(0, 1, Int32Array.from([1, 2]), randn(2, 3));
    assert.throws(() => decodeStc(bytes.subarray(0, bytes.length - 4)), /incorrect stc file size/);
  });
});
