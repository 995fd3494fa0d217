import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { FreeSurferError } from '../../../lib/errors.js';
import { applyAffine, invertAffine } from '../../../lib/linalg/affine.js';
import { MGH_HEADER_BYTES } from '../../../lib/io/freesurfer/mghHeader.js';
import { readMgh, type MghVolume } from '../../../lib/io/freesurfer/readMgh.js';
import { readSurface } from '../../../lib/io/freesurfer/surface.js';
import { encodeMgh, writeMgh, type MghWriteInput } from '../../../lib/io/freesurfer/writeMgh.js';
import { requireSubjects, SUBJECTS } from '../../helpers/fixtures.js';

const LIA = [-1, 0, 0, 0, 0, 1, 0, -1, 0];

/** Nearest-voxel value at surface-RAS point p (mm), or 0 outside the grid. */
function sampleTkr(v: MghVolume, p: number[]): number {
  const ijk = applyAffine(invertAffine(v.vox2rasTkr), p).map(Math.round);
  if (ijk.some((x, k) => x < 0 || x >= v.header.dims[k])) return 0;
  return v.data[ijk[0] + v.header.dims[0] * (ijk[1] + v.header.dims[1] * ijk[2])];
}

describe('io/freesurfer: MGH/MGZ volumes written by mxne', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-mgh-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const vol = (type: MghWriteInput['type']): MghWriteInput => ({
    dims: [3, 4, 5], type, data: Array.from({ length: 60 }, (_, i) => (type === 'float32' ? i / 4 - 3 : type === 'uint8' ? i * 4 : i * 7 - 200)),
    voxelSize: [2, 1.5, 3], mdc: LIA, cRas: [10, -20, 30],
  });

  for (const type of ['uint8', 'int16', 'int32', 'float32'] as const) {
    for (const ext of ['mgh', 'mgz']) {
      it(`reads back a ${type} .${ext} with its geometry`, async () => {
        const f = path.join(dir, `v-${type}.${ext}`);
        await writeMgh(f, vol(type));
        const v = await readMgh(f);
        assert.deepEqual(v.header.dims, [3, 4, 5]);
        assert.equal(v.header.type, type);
        assert.deepEqual(Array.from(v.data), vol(type).data);
        // FreeSurfer's tkr matrix for LIA: [[-dx,0,0,dx·nx/2],[0,0,dz,-dz·nz/2],[0,-dy,0,dy·ny/2]].
        assert.deepEqual(v.vox2rasTkr, [-2, 0, 0, 3, 0, 0, 3, -7.5, 0, -1.5, 0, 3, 0, 0, 0, 1]);
        // Scanner RAS: the same axes, centred at c_ras.
        assert.deepEqual(v.vox2ras, [-2, 0, 0, 13, 0, 0, 3, -27.5, 0, -1.5, 0, 33, 0, 0, 0, 1]);
      });
    }
  }

  const bad = (name: string, bytes: Buffer) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, bytes);
    return f;
  };
  async function rejectsWith(f: string, field: string, re: RegExp) {
    await assert.rejects(readMgh(f), (e: unknown) => e instanceof FreeSurferError && e.file === f && e.field === field && re.test(e.message));
  }

  it('refuses a wrong version, type, dims and truncated voxels, naming file and field', async () => {
    const good = encodeMgh(vol('int16'));
    const v2 = Buffer.from(good); v2.writeInt32BE(2, 0);
    await rejectsWith(bad('v2.mgh', v2), 'version', /version 1 but found 2/);
    const t = Buffer.from(good); t.writeInt32BE(7, 20);
    await rejectsWith(bad('type.mgz', zlib.gzipSync(t)), 'type', /found 7/);
    const d = Buffer.from(good); d.writeInt32BE(-1, 8);
    await rejectsWith(bad('dims.mgh', d), 'dims', /positive dimensions/);
    const huge = Buffer.from(good); [4096, 4096, 4096].forEach((x, k) => huge.writeInt32BE(x, 4 + 4 * k));
    await rejectsWith(bad('huge.mgz', zlib.gzipSync(huge)), 'dims', /more than/);
    await rejectsWith(bad('short.mgh', good.subarray(0, good.length - 10)), 'data', /ends at/);
    await rejectsWith(bad('header.mgh', good.subarray(0, 100)), 'header', /284-byte/);
    await rejectsWith(bad('notgz.mgz', Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.alloc(40)])), 'gzip', /gzip/);
  });

  it('stops inflating a gzip bomb once the data passes the announced voxels', async () => {
    // A valid 3×4×5 header followed by 64 MiB of zeros: ~64 kB compressed.
    const bomb = zlib.gzipSync(Buffer.concat([encodeMgh(vol('uint8')).subarray(0, MGH_HEADER_BYTES + 60), Buffer.alloc(64 << 20)]));
    assert.ok(bomb.length < 200_000);
    await rejectsWith(bad('bomb.mgz', bomb), 'trailer', /within 1048576 bytes after the voxels/);
  });
});

describe('io/freesurfer: ../shared/subjects sample T1.mgz', function () {
  requireSubjects(this);

  it('reads the 3 mm sample T1 as a conformed LIA volume whose surface RAS puts the brain inside the skull', async () => {
    const t1 = await readMgh(path.join(SUBJECTS, 'sample/mri/T1.mgz'));
    assert.deepEqual(t1.header.dims, [86, 86, 86]);
    assert.deepEqual(t1.header.voxelSize, [3, 3, 3]);
    assert.equal(t1.header.type, 'uint8');
    const expected = [-3, 0, 0, 129, 0, 0, 3, -129, 0, -3, 0, 129, 0, 0, 0, 1];
    t1.vox2rasTkr.forEach((x, k) => assert.ok(Math.abs(x - expected[k]) < 1e-4, `tkr[${k}] = ${x}`));
    // The BEM surfaces are in surface RAS: points just inside the inner skull are brain (bright),
    // points well outside the scalp are air (dark). A wrong affine would mix them.
    const inner = await readSurface(path.join(SUBJECTS, 'sample/bem/inner_skull.surf'));
    const skin = await readSurface(path.join(SUBJECTS, 'sample/bem/outer_skin.surf'));
    const centroid = [0, 1, 2].map((c) => inner.rr.col(c).reduce((a, b) => a + b, 0) / inner.rr.rows);
    const meanAt = (s: typeof inner, scale: number) => {
      let sum = 0;
      for (let i = 0; i < s.rr.rows; i++) sum += sampleTkr(t1, [0, 1, 2].map((c) => centroid[c] + scale * (s.rr.get(i, c) - centroid[c])));
      return sum / s.rr.rows;
    };
    const brain = meanAt(inner, 0.7), air = meanAt(skin, 1.15);
    assert.ok(brain > 60, `brain ${brain}`);
    assert.ok(air < 10, `air ${air}`);
  });
});
