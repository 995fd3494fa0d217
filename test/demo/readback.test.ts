/** The demo files read back by mxne's own readers with the numbers they were made from. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemo, writeSyntheticForward, type DemoDataset } from '../../lib/demo/index.js';
import { demoCovariance, NOISE_VARIANCE } from '../../lib/demo/generateDemo.js';
import { makeCortex, usedPoints } from '../../lib/demo/cortex.js';
import { makeDemoInfo, sphereGain } from '../../lib/demo/gain.js';
import { readForward } from '../../lib/io/fiff/readForward.js';
import { readCov } from '../../lib/io/fiff/readCov.js';
import { readEvoked } from '../../lib/io/fiff/readEvoked.js';
import { readSourceSpaces } from '../../lib/io/fiff/readSourceSpaces.js';
import { writeCov } from '../../lib/io/fiff/writeCov.js';
import { FIFF } from '../../lib/io/fiff/constants.js';
import { Matrix } from '../../lib/linalg/matrix.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-demo-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let k = 0; k < a.length; k++) { num = Math.max(num, Math.abs(a[k] - b[k])); den = Math.max(den, Math.abs(b[k])); }
  return num / den;
}

describe('demo dataset: files read back by mxne', () => {
  let demo: DemoDataset;
  before(async () => { demo = await generateDemo({ outDir: path.join(tmp, 'a'), nSources: 400, seed: 7 }); });

  it('returns the contract: paths, condition, counts, three true sources along the normal', () => {
    assert.equal(demo.condition, 'Demo');
    assert.equal(demo.nSources, 400);
    assert.equal(demo.nChannels, 366);
    for (const f of [demo.fwd, demo.evoked, demo.cov]) assert.ok(fs.existsSync(f), f);
    assert.equal(demo.truth.length, 3);
    const peaks = demo.truth.map((s) => s.peakTime).sort((a, b) => a - b);
    for (let k = 1; k < peaks.length; k++) assert.ok(peaks[k] - peaks[k - 1] >= 0.06 && peaks[k] - peaks[k - 1] <= 0.15);
    for (const s of demo.truth) {
      assert.ok(Math.abs(Math.hypot(...s.ori) - 1) < 1e-6);
      assert.ok(s.amplitude > 1e-10 && s.amplitude < 1e-6, `amplitude ${s.amplitude}`);
      assert.equal(s.hemi, s.sourceIndex < 200 ? 'lh' : 'rh');
    }
  });

  it('readForward gives the gain computed from the stored geometry (float32), the channels and the source spaces', async () => {
    const fwd = await readForward(demo.fwd);
    assert.equal(fwd.nsource, 400);
    assert.equal(fwd.nchan, 366);
    assert.equal(fwd.sourceOri, 2);
    assert.equal(fwd.coordFrame, FIFF.FIFFV_COORD_HEAD);
    assert.deepEqual(fwd.chNames.slice(0, 4), ['MEG 0113', 'MEG 0112', 'MEG 0111', 'MEG 0123']);
    assert.equal(fwd.chNames[306], 'EEG 001');
    const src = makeCortex(400, 7);
    assert.deepEqual(fwd.src.map((s) => Array.from(s.vertno)), src.map((s) => Array.from(s.vertno)));
    assert.deepEqual(fwd.src.map((s) => s.id), [FIFF.FIFFV_MNE_SURF_LEFT_HEMI, FIFF.FIFFV_MNE_SURF_RIGHT_HEMI]);
    const { rr } = usedPoints(src);
    assert.deepEqual(Array.from(fwd.sourceRr.transpose().data), Array.from(rr));
    const G = sphereGain(makeDemoInfo(), rr);
    assert.ok(maxRel(fwd.sol.data, G.data) < 1e-6);
    const s = demo.truth[0];
    assert.deepEqual([0, 1, 2].map((d) => fwd.sourceRr.get(s.sourceIndex, d)), s.pos);
    const srcRead = await readSourceSpaces(demo.fwd);
    assert.equal(srcRead[0].ntri, src[0].ntri);
    assert.deepEqual(Array.from(srcRead[0].tris!), Array.from(src[0].tris!));
  });

  it('readCov gives the diagonal noise covariance per channel type, names and the average reference projector', async () => {
    const cov = await readCov(demo.cov);
    const info = makeDemoInfo();
    assert.deepEqual(cov.names, info.chNames);
    assert.equal(cov.diag, true);
    assert.equal(cov.nfree, 1000);
    const want = { mag: NOISE_VARIANCE.mag, grad: NOISE_VARIANCE.grad, eeg: NOISE_VARIANCE.eeg } as Record<string, number>;
    info.chs.forEach((c, i) => assert.equal(cov.data.get(i, i), want[c.type]));
    assert.equal(cov.projs.length, 1);
    assert.equal(cov.projs[0].kind, FIFF.FIFFV_PROJ_ITEM_EEG_AVREF);
    assert.equal(cov.projs[0].active, false);
  });

  it('readEvoked gives the Demo condition: −0.1…0.3 s at 600 Hz, nave 60, baseline applied, noise at the covariance level', async () => {
    const ev = await readEvoked(demo.evoked, { condition: 'Demo', proj: false });
    assert.equal(ev.comment, 'Demo');
    assert.equal(ev.nave, 60);
    assert.equal(ev.info.sfreq, 600);
    assert.equal(ev.first, -60);
    assert.equal(ev.nTimes, 241);
    assert.deepEqual(ev.baseline?.map((b) => Math.fround(b)), [Math.fround(-0.1), 0]);
    assert.equal(ev.info.projs[0].active, false);
    assert.ok(ev.info.devHeadT !== null);
    // Baseline samples are pure noise of the average: variance ≈ σ²/nave per type.
    for (const type of ['mag', 'grad', 'eeg'] as const) {
      const rows = ev.info.chs.flatMap((c, i) => (c.type === type ? [i] : []));
      let s = 0, n = 0;
      for (const i of rows) for (let k = 0; k < 60; k++) { s += ev.data.get(i, k) ** 2; n++; }
      const ratio = s / n / (NOISE_VARIANCE[type] / 60);
      assert.ok(ratio > 0.8 && ratio < 1.2, `${type}: baseline variance / expected = ${ratio}`);
    }
  });

  it('is deterministic with the seed, and the seed matters', async () => {
    const again = await generateDemo({ outDir: path.join(tmp, 'b'), nSources: 400, seed: 7 });
    const other = await generateDemo({ outDir: path.join(tmp, 'c'), nSources: 400, seed: 8 });
    assert.deepEqual(again.truth, demo.truth);
    const [e1, e2, e3] = await Promise.all([demo, again, other].map((d) => readEvoked(d.evoked, { proj: false })));
    assert.deepEqual(e2.data.data, e1.data.data);
    assert.notDeepEqual(e3.data.data, e1.data.data);
  });

  it('without EEG: MEG only, no projector', async () => {
    const d = await generateDemo({ outDir: path.join(tmp, 'meg'), nSources: 100, eeg: false });
    assert.equal(d.nChannels, 306);
    const [fwd, ev] = await Promise.all([readForward(d.fwd), readEvoked(d.evoked)]);
    assert.equal(fwd.nchan, 306);
    assert.equal(ev.info.projs.length, 0);
  });

  it('rejects bad options naming the field', async () => {
    await assert.rejects(generateDemo({ outDir: tmp, nSources: 3.5 }), { name: 'InputError', field: 'nSources' });
    await assert.rejects(generateDemo({ outDir: tmp, snr: -1 }), { name: 'InputError', field: 'snr' });
  });
});

describe('writeSyntheticForward and writeCov', () => {
  it('writes a forward of the asked size that readForward reads', async () => {
    const file = path.join(tmp, 'syn-1k-fwd.fif');
    await writeSyntheticForward(file, { nSources: 1001, seed: 3, eeg: false });
    const fwd = await readForward(file);
    assert.equal(fwd.nsource, 1001);
    assert.deepEqual(fwd.src.map((s) => s.nuse), [501, 500]);
    assert.equal(fwd.sol.rows, 306);
    assert.equal(fwd.sol.cols, 3003);
    assert.ok(fwd.sol.data.every(Number.isFinite));
  });

  it('writeCov round-trips a full covariance with its eigen decomposition', async () => {
    const info = makeDemoInfo({ eeg: false });
    const cov = demoCovariance(info, 42);
    const full = new Matrix(3, 3, Float64Array.from([2, 0.5, 0.1, 0.5, 3, -0.2, 0.1, -0.2, 1]));
    const c = { ...cov, names: ['A', 'B', 'C'], data: full, diag: false, projs: [], bads: ['B'], eig: Float64Array.from([1, 2, 3]), eigvec: Matrix.identity(3) };
    const file = path.join(tmp, 'full-cov.fif');
    await writeCov(file, c);
    const back = await readCov(file);
    assert.deepEqual(Array.from(back.data.data), Array.from(full.data));
    assert.deepEqual(back.bads, ['B']);
    assert.equal(back.nfree, 42);
    assert.deepEqual(Array.from(back.eig!), [1, 2, 3]);
    assert.deepEqual(Array.from(back.eigvec!.data), Array.from(Matrix.identity(3).data));
  });
});
