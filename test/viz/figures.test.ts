import * as assert from 'node:assert/strict';
import { makeDemoInfo } from '../../lib/demo/gain.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { Evoked } from '../../lib/records/evoked.js';
import { butterflySpec, butterflyTypes, SEED_YLIM } from '../../lib/viz/butterfly.js';
import { dipoleAmplitudesSpec } from '../../lib/viz/dipoleAmplitudes.js';
import { FigureThread } from '../../lib/viz/figureThread.js';
import { evokedButterflies, makeFigures, strongestDipole } from '../../lib/viz/figures.js';
import { DIPOLE_HEX } from '../../lib/viz/palette.js';
import { renderSvg } from '../../lib/viz/renderSvg.js';
import type { DipoleSummary } from '../../lib/workflow/summary.js';

function evokedWithBad(): Evoked {
  const info = makeDemoInfo();
  const data = new Matrix(info.nchan, 4);
  info.chs.forEach((c, i) => { for (let t = 0; t < 4; t++) data.set(i, t, (c.type === 'eeg' ? 1e-6 : c.type === 'mag' ? 1e-13 : 1e-11) * (t - 1.5)); });
  return new Evoked({ ...info, bads: [info.chs.find((c) => c.type === 'grad')!.name] }, data, 0, 1, 'test');
}

const dipole = (hemi: 'lh' | 'rh', vertno: number, peak: number): DipoleSummary => ({
  sourceIndex: vertno, hemi, vertno, pos: [0.01, 0.02, 0.05], ori: [[0, 0, 1], [0, 0, 1]], amplitude: [0, peak], gof: [0, 90], peakAmplitude: peak, peakTime: 0.01,
});

describe('viz: figure specs and SVG rendering', () => {
  it('butterflies: grad, mag, eeg in MNE units, seed y-limits, bad channels left out', async () => {
    const ev = evokedWithBad();
    assert.deepEqual(butterflyTypes(ev), ['grad', 'mag', 'eeg']);
    const grad = butterflySpec(ev, 'grad', 'Evoked') as { data: { values: { v: number; ch: string }[] }; encoding: { y: { title: string; scale: { domain: number[] } } }; title: string };
    const nGrad = ev.info.chs.filter((c) => c.type === 'grad').length;
    assert.match(grad.title, new RegExp(`\\(${nGrad - 1} channels\\)`));
    assert.ok(!grad.data.values.some((d) => d.ch === ev.info.bads[0]));
    assert.deepEqual(grad.encoding.y.scale.domain, SEED_YLIM.grad);
    assert.equal(grad.encoding.y.title, 'fT/cm');
    // 1e-11 T/m × (t − 1.5) at t = 0 is −1.5e-11 T/m = −150 fT/cm.
    assert.ok(Math.abs(grad.data.values[0].v + 150) < 1e-9);
    const svg = await renderSvg(butterflySpec(ev, 'eeg', 'Residual'));
    assert.match(svg, /^<svg/);
    assert.match(svg, /Residual: EEG/);
    assert.match(svg, /µV/);
  });

  it('dipole amplitudes: one line per dipole in nAm, legend with hemisphere and vertex in the dipoles\' colours', async () => {
    const spec = dipoleAmplitudesSpec([0, 0.01], [dipole('lh', 12, 2e-8), dipole('rh', 7, -3e-8)]) as unknown as { data: { values: { amplitude: number; dipole: string }[] } };
    assert.deepEqual(spec.data.values.map((v) => v.dipole), ['#0 lh 12', '#0 lh 12', '#1 rh 7', '#1 rh 7']);
    assert.ok(Math.abs(spec.data.values[3].amplitude + 30) < 1e-9);
    const svg = await renderSvg(dipoleAmplitudesSpec([0, 0.01], [dipole('lh', 12, 2e-8), dipole('rh', 7, -3e-8)]));
    for (const label of ['#0 lh 12', '#1 rh 7']) assert.ok(svg.includes(label), label);
    for (const hex of DIPOLE_HEX.slice(0, 2)) assert.ok(svg.includes(hex), hex);
  });

  it('makeFigures without an MRI or source space: amplitudes and butterflies; the strongest dipole is the largest |peak|', async () => {
    const ev = evokedWithBad();
    const figures = await makeFigures({ times: [0, 0.01], dipoles: [dipole('lh', 1, 2e-8), dipole('rh', 2, -5e-8)], evoked: ev, residual: ev, src: [], mriHeadT: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], t1: null });
    assert.deepEqual(figures.map((f) => f.id), ['dipole-amplitudes', 'butterfly-evoked-grad', 'butterfly-evoked-mag', 'butterfly-evoked-eeg', 'butterfly-residual-grad', 'butterfly-residual-mag', 'butterfly-residual-eeg']);
    assert.equal(strongestDipole([dipole('lh', 1, 2e-8), dipole('rh', 2, -5e-8)]), 1);
  });

  it('drawn in a FigureThread, the evoked butterflies started early: the same figures in the same order', async function () {
    this.timeout(60_000);
    const ev = evokedWithBad();
    const input = { times: [0, 0.01], dipoles: [dipole('lh', 1, 2e-8), dipole('rh', 2, -5e-8)], evoked: ev, residual: ev, src: [], mriHeadT: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], t1: null };
    const here = await makeFigures(input);
    const thread = new FigureThread();
    try {
      const early = evokedButterflies(ev, thread.render);
      const there = await makeFigures(input, { render: thread.render, evoked: early });
      assert.deepEqual(there.map((f) => [f.id, f.title, f.format]), here.map((f) => [f.id, f.title, f.format]));
      // vega numbers clip paths per thread (the report embeds each SVG as an image, so ids never meet).
      const unnumbered = (svg: string | Buffer) => String(svg).replace(/clip\d+/g, 'clip');
      there.forEach((f, k) => assert.equal(unnumbered(f.content), unnumbered(here[k].content), f.id));
    } finally {
      await thread.close();
    }
  });

  it('a FigureThread closed before its renders finish rejects them (nothing left unhandled)', async function () {
    this.timeout(60_000);
    const thread = new FigureThread();
    const early = evokedButterflies(evokedWithBad(), thread.render);
    await thread.close();
    for (const f of early) await assert.rejects(f.content);
  });
});
