/** The Evoked record's time axis, crop and baseline rules, as MNE's Evoked (synthetic, no fixtures). */
import * as assert from 'node:assert/strict';
import { Evoked } from '../../../lib/index.js';
import { Matrix } from '../../../lib/linalg/matrix.js';
import { pythonRound } from '../../../lib/records/evoked.js';
import type { Info } from '../../../lib/records/info.js';

const info: Info = { chs: [], chNames: ['A'], nchan: 1, bads: [], projs: [], sfreq: 100, highpass: 0, lowpass: 50, devHeadT: null, compGrade: 0 };
const ramp = (n: number) => new Matrix(1, n, Float64Array.from({ length: n }, (_, k) => k));

describe('Evoked timing, crop and baseline', () => {
  it('without file timing, times are (first + k) / sfreq; with it, origin + k / sfreq as MNE', () => {
    assert.deepEqual(Array.from(new Evoked(info, ramp(3), -1, 1, 'c').times), [-0.01, 0, 0.01]);
    const t0 = Math.fround(-0.01);
    const ev = new Evoked(info, ramp(5), -1, 1, 'c', 'average', { originTime: t0, originSample: -1 });
    assert.deepEqual(Array.from(ev.times), [0, 1, 2, 3, 4].map((k) => t0 + k / 100));
    const cropped = ev.crop(0, 0.02);
    assert.deepEqual([cropped.first, cropped.nTimes, cropped.tmin], [0, 3, t0 + 1 / 100]);
    assert.deepEqual(cropped.withData(ramp(3)).times, cropped.times);
  });

  it('applyBaseline subtracts the mean over the interval and records it', () => {
    const ev = new Evoked(info, ramp(5), -2, 1, 'c').applyBaseline([null, 0]);
    assert.deepEqual(Array.from(ev.data.data), [-1, 0, 1, 2, 3]);
    assert.deepEqual(ev.baseline, [-0.02, 0]);
  });

  it('rejects baselines MNE rejects', () => {
    const ev = new Evoked(info, ramp(5), 0, 1, 'c');
    assert.throws(() => ev.applyBaseline([null, 0]), { name: 'InputError', field: 'baseline' });
    assert.throws(() => ev.applyBaseline([0.03, 0.01]), { name: 'InputError' });
    assert.throws(() => ev.applyBaseline([0, 0.2]), { name: 'InputError' });
  });
});

describe('pythonRound', () => {
  it('rounds halves to even and never returns -0, as Python', () => {
    assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6].map(pythonRound), [0, 2, 2, 0, -2, -2, 2, -3]);
    assert.ok(Object.is(pythonRound(-0.2), 0));
  });
});
