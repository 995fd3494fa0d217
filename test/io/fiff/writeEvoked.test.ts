/**
 * writeEvoked: mxne's -ave.fif files read back by mxne (always) and by MNE-Python (when installed)
 * with the same info and numbers. Data are stored as float32 (FIF, README §1), so a write–read
 * round trip of float64 data agrees within float32 rounding: 2^-24 relative per value.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Evoked, readEvoked, writeEvoked } from '../../../lib/index.js';
import { readNpyMatrix } from '../../../lib/io/npy.js';
import { Matrix } from '../../../lib/linalg/matrix.js';
import type { Info } from '../../../lib/records/info.js';
import { assertClose } from '../../helpers/assert.js';
import { fixture, requireFixtures } from '../../helpers/fixtures.js';
import { requireMne, runPythonJson } from '../../helpers/python.js';
import { randn } from '../../helpers/random.js';

const F32 = 2 ** -24;
let dir: string;
before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-fiff-')); });
// A skip in an earlier before hook leaves dir unset; after hooks still run.
after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

/** A small synthetic evoked: 3 EEG channels, one inactive average-reference projector, a bad channel. */
function synthetic(): Evoked {
  const chs = ['EEG 001', 'EEG 002', 'EEG 003'].map((name, k) => ({
    name, kind: 2, type: 'eeg' as const, coilType: 1, unit: 107, unitMul: 0, cal: 1, range: 1, logNo: k + 1, scanNo: k + 1,
    loc: new Float64Array(12).fill(0.01 * (k + 1)), coordFrame: 4,
  }));
  const info: Info = {
    chs, chNames: chs.map((c) => c.name), nchan: 3, bads: ['EEG 003'], sfreq: 250, highpass: 0.1, lowpass: 40, devHeadT: null, compGrade: 0,
    projs: [{ desc: 'Average EEG reference', kind: 10, active: false, colNames: ['EEG 001', 'EEG 002', 'EEG 003'], data: Matrix.fromRows([[1, 1, 1].map((v) => v / Math.sqrt(3))]) }],
  };
  const data = randn(3, 50, 7);
  for (let k = 0; k < data.data.length; k++) data.data[k] *= 1e-6;
  return new Evoked(info, data, -10, 12, 'Synthetic', 'average');
}

describe('writeEvoked round trip (mxne reads what mxne wrote)', function () {
  requireFixtures(this);
  it('a fixture evoked: info, projectors, times and data survive', async () => {
    const orig = await readEvoked(fixture('inputs', 'right_visual-ave.fif'), { baseline: [null, 0] });
    const file = path.join(dir, 'rv-ave.fif');
    await writeEvoked(file, orig);
    const back = await readEvoked(file);
    assert.deepEqual([back.comment, back.nave, back.kind, back.first, back.last], [orig.comment, orig.nave, orig.kind, orig.first, orig.last]);
    assert.deepEqual(back.times, orig.times);
    assert.deepEqual(back.baseline, orig.baseline!.map(Math.fround));
    assert.deepEqual(back.info.chs, orig.info.chs);
    assert.deepEqual([back.info.bads, back.info.sfreq, back.info.devHeadT], [orig.info.bads, orig.info.sfreq, orig.info.devHeadT]);
    assert.deepEqual(back.info.projs, orig.info.projs);
    assertClose(back.data.data, orig.data.data, F32, 'data');
  });
});

describe('writeEvoked round trip (synthetic, no fixtures)', () => {
  it('keeps an inactive projector inactive with proj: false, applies it with proj: true', async () => {
    const ev = synthetic();
    const file = path.join(dir, 'syn-ave.fif');
    await writeEvoked(file, ev);
    const raw = await readEvoked(file, { proj: false });
    assert.deepEqual(raw.info.projs.map((p) => p.active), [false]);
    assert.deepEqual([raw.first, raw.nave, raw.comment, raw.info.bads], [-10, 12, 'Synthetic', ['EEG 003']]);
    assertClose(raw.data.data, ev.data.data, F32, 'data');
    const projected = await readEvoked(file);
    assert.deepEqual(projected.info.projs.map((p) => p.active), [true]);
    // The bad channel is left out of the projector: the good channels' mean becomes 0.
    for (let k = 0; k < projected.nTimes; k++) assert.ok(Math.abs(projected.data.get(0, k) + projected.data.get(1, k)) < 1e-20);
    assert.deepEqual(projected.data.row(2), raw.data.row(2));
  });
});

describe('writeEvoked: MNE-Python reads mxne files', function () {
  requireMne(this);
  requireFixtures(this);
  it('mne.read_evokeds gives the same info and numbers', async () => {
    const files = { fixture: path.join(dir, 'mne-rv-ave.fif'), synthetic: path.join(dir, 'mne-syn-ave.fif'), inactive: path.join(dir, 'mne-inactive-ave.fif') };
    const rv = (await readEvoked(fixture('inputs', 'right_visual-ave.fif'), { baseline: [null, 0] })).crop(0, 0.3);
    await writeEvoked(files.fixture, rv);
    // The four sample projectors marked inactive: both readers project 376 channels (2 bad) on read.
    await writeEvoked(files.inactive, rv.withData(rv.data, { ...rv.info, projs: rv.info.projs.map((p) => ({ ...p, active: false })) }));
    await writeEvoked(files.synthetic, synthetic());
    for (const [name, file] of Object.entries(files)) {
      const out = path.join(dir, `${name}-mne.npy`);
      const meta = runPythonJson<any>(`
import json, numpy as np, mne
ev = mne.read_evokeds(${JSON.stringify(file)}, condition=0, baseline=None, verbose='error')
np.save(${JSON.stringify(out)}, ev.data)
print(json.dumps(dict(comment=ev.comment, nave=ev.nave, first=int(ev.first), last=int(ev.last), times0=float(ev.times[0]),
  ch_names=ev.ch_names, bads=ev.info['bads'], sfreq=ev.info['sfreq'], projs=[[p['desc'], p['active']] for p in ev.info['projs']],
  baseline=None if ev.baseline is None else [float(x) for x in ev.baseline])))`);
      const ours = await readEvoked(file);
      assert.deepEqual([meta.comment, meta.nave, meta.first, meta.last, meta.times0], [ours.comment, ours.nave, ours.first, ours.last, ours.tmin]);
      assert.deepEqual([meta.ch_names, meta.bads, meta.sfreq], [ours.info.chNames, ours.info.bads, ours.info.sfreq]);
      assert.deepEqual(meta.projs, ours.info.projs.map((p) => [p.desc, p.active]));
      assert.deepEqual(meta.baseline, ours.baseline);
      // MNE projects with an SVD basis and mxne with a Gram eigenbasis of the same subspace (float64).
      assertClose(ours.data.data, readNpyMatrix(out).data, 1e-12, `${name} data`);
    }
  });
});
