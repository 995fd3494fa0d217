/**
 * Conformance: what mxne reads from the fixture FIF files equals what MNE 1.3 read (fixtures
 * README §2.4, inputs/readback/). Values that come straight from the file must be identical;
 * computed ones (baseline, coordinate transforms) agree within 1e-12 relative (README §1: float64).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { readCov, readEvoked, readForward, readInfo, readSourceSpaces } from '../../../lib/index.js';
import { readNpyMatrix } from '../../../lib/io/npy.js';
import type { Matrix } from '../../../lib/linalg/matrix.js';
import type { Projection } from '../../../lib/records/info.js';
import { assertClose } from '../../helpers/assert.js';
import { fixture, requireFixtures } from '../../helpers/fixtures.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const readback = (): any => JSON.parse(fs.readFileSync(fixture('inputs', 'readback', 'readback.json'), 'utf8'));
const npy = (desc: { file: string }): Matrix => readNpyMatrix(fixture(desc.file));

/** Row-major nested arrays of a Matrix, for exact comparison with JSON. */
function rows(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.row(i)));
}

function assertSameMatrix(a: Matrix, b: Matrix, what: string): void {
  assert.deepEqual([a.rows, a.cols], [b.rows, b.cols], `${what} shape`);
  assertClose(a.data, b.data, 0, what);
}

function assertProjs(got: Projection[], want: any[]): void {
  assert.equal(got.length, want.length);
  got.forEach((p, k) => {
    assert.equal(p.desc, want[k].desc);
    assert.equal(p.active, want[k].active);
    assert.equal(p.kind, want[k].kind);
    assert.deepEqual(p.colNames, want[k].col_names);
    if (want[k].vectors !== undefined) assert.deepEqual(rows(p.data), want[k].vectors);
  });
}

describe('FIF readback: evoked files equal MNE read_evokeds', function () {
  requireFixtures(this);
  for (const name of ['left_auditory', 'right_visual']) {
    it(`${name}: info, projectors and data as read (baseline=None)`, async () => {
      const want = readback()[name];
      const ev = await readEvoked(fixture(want.file), { condition: want.comment });
      assert.equal(ev.comment, want.comment);
      assert.equal(ev.nave, want.nave);
      assert.equal(ev.kind, want.kind);
      assert.equal(ev.info.sfreq, want.sfreq);
      assert.equal(ev.first, want.first);
      assert.equal(ev.last, want.last);
      assert.equal(ev.tmin, want.tmin);
      assert.equal(ev.nTimes, want.n_times);
      assert.deepEqual(ev.info.chNames, want.ch_names);
      assert.deepEqual(ev.info.chs.map((c) => c.type), want.ch_types);
      assert.deepEqual(ev.info.bads, want.bads);
      assertProjs(ev.info.projs, want.projs);
      assert.deepEqual(rows(ev.info.devHeadT!.trans), want.dev_head_t);
      assert.equal(ev.info.compGrade, 0);
      assertSameMatrix(ev.data, npy(want.data), `${name} data`);
    });

    it(`${name}: baseline (None, 0) then crop(0, 0.3), by index`, async () => {
      const want = readback()[name];
      const bc = want.baselined_cropped;
      const ev = (await readEvoked(fixture(want.file), { condition: 0, baseline: [null, 0] })).crop(0, 0.3);
      assert.equal(ev.nTimes, bc.n_times);
      assert.equal(ev.first, want.first + bc.first_sample_index_in_file);
      assert.equal(ev.tmin, bc.tmin);
      // README §1: float64 computation; the mean over 121 samples may differ in the last bits.
      assertClose(ev.data.data, npy(bc.data).data, 1e-12, `${name} baselined+cropped`);
    });
  }

  it('readInfo gives the measurement info alone (mne.io.read_info)', async () => {
    const want = readback().left_auditory;
    const info = await readInfo(fixture(want.file));
    assert.deepEqual([info.chNames, info.bads, info.sfreq], [want.ch_names, want.bads, want.sfreq]);
    assertProjs(info.projs, want.projs);
  });

  it('an unknown condition is an InputError naming the file and the conditions in it', async () => {
    const want = readback().left_auditory;
    const file = fixture(want.file);
    await assert.rejects(readEvoked(file, { condition: 'Nope' }), (e: any) => e.name === 'InputError' && e.field === 'condition' && e.message.includes(file) && /"Left Auditory"/.test(e.message));
    await assert.rejects(readEvoked(file, { condition: 3 }), (e: any) => e.name === 'InputError' && /\[0, 0\]/.test(e.message));
  });
});

describe('FIF readback: noise covariance equals MNE read_cov', function () {
  requireFixtures(this);
  it('names, bads, nfree, projectors and the full matrix', async () => {
    const want = readback()['noise-cov'];
    const cov = await readCov(fixture(want.file));
    assert.deepEqual(cov.names, want.names);
    assert.deepEqual(cov.bads, want.bads);
    assert.equal(cov.nfree, want.nfree);
    assert.equal(cov.diag, want.diag);
    assert.deepEqual(cov.projs.map((p) => p.desc), want.projs);
    assert.ok(cov.projs.every((p) => p.active));
    assertSameMatrix(cov.data, npy(want.data), 'covariance');
  });
});

describe('FIF readback: forward solutions equal MNE read_forward_solution', function () {
  requireFixtures(this);
  for (const name of ['surf-small', 'surf', 'vol']) {
    it(`${name}: gain, channels, transform, source spaces, source_rr / source_nn`, async () => {
      const want = readback()[name];
      const fwd = await readForward(fixture(want.file));
      assert.equal(fwd.nchan, want.nchan);
      assert.equal(fwd.nsource, want.nsource);
      assert.equal(fwd.sourceOri, want.source_ori);
      assert.equal(fwd.coordFrame, want.coord_frame);
      assert.equal(fwd.surfOri, want.surf_ori);
      assert.deepEqual(fwd.chNames, want.row_names);
      assert.deepEqual([fwd.sol.rows, fwd.sol.cols], want.gain_shape);
      assert.deepEqual(rows(fwd.mriHeadT.trans), want.mri_head_t);
      assertGainStats(fwd.sol, want.gain_stats);
      assert.equal(fwd.src.length, want.src.length);
      fwd.src.forEach((s, k) => {
        const w = want.src[k];
        assert.deepEqual([s.type, s.id, s.np, s.nuse, s.coordFrame], [w.type, w.id, w.np, w.nuse, w.coord_frame_after_read]);
        assert.deepEqual(Array.from(s.vertno), w.vertno);
        if (w.ntri !== undefined) assert.deepEqual([s.ntri, s.nuseTri], [w.ntri, w.nuse_tri]);
        if (w.has_patch_info !== undefined) assert.equal(s.nearest !== null && s.pinfo !== null, w.has_patch_info);
        if (w.shape !== undefined) assert.deepEqual(s.shape, w.shape);
      });
      // README §1: head coordinates via mri_head_t, a float64 product (BLAS may fuse multiply-adds).
      assertClose(fwd.sourceRr.data, npy(want.source_rr).data, 1e-12, `${name} source_rr`);
      assertSameMatrix(fwd.sourceNn, npy(want.source_nn), `${name} source_nn`);
    });
  }

  it('readSourceSpaces keeps the file frame (MRI) and the patch information', async () => {
    const want = readback()['surf-small'];
    const src = await readSourceSpaces(fixture(want.file));
    assert.deepEqual(src.map((s) => s.coordFrame), [5, 5]);
    for (const s of src) {
      assert.equal(s.pinfo!.length, s.nuse);
      assert.ok(Array.from(s.vertno).every((v, i) => s.pinfo![s.patchInds![i]].includes(v)));
      assert.equal(s.tris!.length, 3 * s.ntri);
    }
  });
});

function assertGainStats(g: Matrix, want: any): void {
  const n = g.rows;
  const [r, c] = [g.rows, g.cols];
  const first = Array.from({ length: 6 }, (_, j) => g.get(0, j));
  const last = Array.from({ length: 6 }, (_, j) => g.get(r - 1, c - 6 + j));
  assert.deepEqual(first, want.first);
  assert.deepEqual(last, want.last);
  assert.equal(g.get(100, 300), want.row_100_col_300);
  let sum = 0, sumSq = 0, absMax = 0;
  for (let k = 0; k < n * c; k++) { const v = g.data[k]; sum += v; sumSq += v * v; absMax = Math.max(absMax, Math.abs(v)); }
  assert.equal(absMax, want.abs_max);
  // README §2.4's sum and sum of squares were accumulated in float32 (e.g. 366687520.0), so they
  // carry float32 rounding (~1e-7 relative); the elements themselves are compared exactly above.
  assertClose([sum, sumSq], [want.sum, want.sum_sq], 1e-6, 'gain sum, sum of squares');
}
