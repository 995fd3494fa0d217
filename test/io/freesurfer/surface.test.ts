import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FreeSurferError } from '../../../lib/errors.js';
import { encodeSurface, readSurface, writeSurface } from '../../../lib/io/freesurfer/surface.js';
import { Matrix } from '../../../lib/linalg/matrix.js';
import { requireSubjects, SUBJECTS } from '../../helpers/fixtures.js';
import { requireMne } from '../../helpers/python.js';
import { runMne } from '../../results/mnePython.js';

const tetra = { rr: Matrix.fromRows([[0, 0, 0], [10.5, 0, 0], [0, 20.25, 0], [0, 0, -30]]), tris: Int32Array.from([0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3]) };

describe('io/freesurfer: triangle surfaces written by mxne', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-surf-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads back vertices and triangles', async () => {
    const f = path.join(dir, 'lh.tetra');
    await writeSurface(f, tetra);
    const s = await readSurface(f);
    assert.deepEqual(s.rr.toRows(), tetra.rr.toRows());
    assert.deepEqual(Array.from(s.tris), Array.from(tetra.tris));
  });

  it('refuses a bad magic, a quad surface, impossible counts and faces, naming file and field', async () => {
    const good = encodeSurface(tetra);
    const cases: [string, Buffer, string, RegExp][] = [
      ['magic', Buffer.concat([Buffer.from([0, 1, 2]), good.subarray(3)]), 'magic', /0x102/],
      ['quad', Buffer.concat([Buffer.from([0xff, 0xff, 0xff]), good.subarray(3)]), 'magic', /quad/],
      ['stamp', Buffer.concat([good.subarray(0, 3), Buffer.alloc(5000, 0x41)]), 'created by', /4096/],
      ['short', good.subarray(0, good.length - 4), 'counts', /need \d+ bytes/],
    ];
    const badFace = Buffer.from(good);
    badFace.writeInt32BE(9, badFace.length - 4);
    cases.push(['face', badFace, 'faces', /triangle 3 names vertex 9 of 4/]);
    for (const [name, bytes, field, re] of cases) {
      const f = path.join(dir, name);
      fs.writeFileSync(f, bytes);
      await assert.rejects(readSurface(f), (e: unknown) => e instanceof FreeSurferError && e.file === f && e.field === field && re.test(e.message), name);
    }
  });
});

describe('io/freesurfer: ../shared/subjects surfaces equal MNE-Python read_surface', function () {
  requireSubjects(this);
  requireMne(this);

  it('BEM and sphere.reg surfaces: same vertices (float32 widened) and triangles', async () => {
    const files = ['sample/bem/inner_skull.surf', 'sample/bem/outer_skin.surf', 'sample_ds/surf/lh.sphere.reg', 'fsaverage_ds/surf/rh.sphere.reg'].map((f) => path.join(SUBJECTS, f));
    const ref = runMne(`
import mne
out = []
for f in args:
    rr, tris = mne.read_surface(f)
    out.append(dict(n=len(rr), sums=rr.sum(0).tolist(), first=rr[:5].tolist(), last=rr[-1].tolist(), tris=tris[:4].tolist(), trisum=int(tris.sum()), ntri=len(tris)))
print(json.dumps(out))`, files);
    for (const [k, f] of files.entries()) {
      const s = await readSurface(f);
      const r = ref[k];
      assert.equal(s.rr.rows, r.n);
      assert.equal(s.tris.length / 3, r.ntri);
      assert.deepEqual(s.rr.toRows().slice(0, 5), r.first);
      assert.deepEqual(s.rr.toRows()[s.rr.rows - 1], r.last);
      assert.deepEqual([0, 1, 2, 3].map((t) => Array.from(s.tris.subarray(3 * t, 3 * t + 3))), r.tris);
      assert.equal(s.tris.reduce((a, b) => a + b, 0), r.trisum);
      [0, 1, 2].forEach((c) => assert.ok(Math.abs(s.rr.col(c).reduce((a, b) => a + b, 0) - r.sums[c]) < 1e-9 * s.rr.rows * 100, f));
    }
  });
});
