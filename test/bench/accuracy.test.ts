/**
 * The accuracy study's simulation (bench/accuracy): true sources off the grid the inverse searches
 * — continuous points of the demo cortex on the sphere (their field from the same sphere model as
 * the forward), held-out sources on the fixture forwards (taken out of the inverse exactly as
 * MNE-Python takes them out) — cases regenerated from their seeds, and the scoring.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixtureHead, sphereHead, type Head } from '../../bench/accuracy/heads.js';
import { withoutSources } from '../../bench/accuracy/restrictForward.js';
import { scoreCase } from '../../bench/accuracy/score.js';
import { simulateCase } from '../../bench/accuracy/simulate.js';
import { HOLD_OUT_MM, holdOutSet } from '../../bench/accuracy/truthSites.js';
import { readForward } from '../../lib/io/fiff/readForward.js';
import { packageRoot } from '../../lib/native.js';
import { sourceNormals } from '../../lib/prepare/surfaceOrientation.js';
import { FIXTURES, requireFixtures } from '../helpers/fixtures.js';
import { requireMne, runPythonJson } from '../helpers/python.js';

const mm = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) * 1000;

function nearestGridMm(head: Head, pos: ArrayLike<number>): number {
  let best = Infinity;
  for (let k = 0; k < head.forward.nsource; k++) best = Math.min(best, mm(head.forward.sourceRr.row(k), pos));
  return best;
}

describe('accuracy study: truths off the inverse grid (sphere, data mxne generates)', function () {
  this.timeout(120000);
  let dir: string;
  let head: Head;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-accuracy-test-'));
    head = await sphereHead(dir);
  });
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('places every true source at a continuous point of the cortex, never on a grid source', () => {
    const gaps: number[] = [];
    for (let i = 0; i < 20; i++) {
      const c = simulateCase(head, i, 1000 + i);
      assert.equal(c.spec.head, 'sphere');
      for (const s of c.spec.sources) {
        assert.equal(s.fwdSource, undefined);
        const gap = nearestGridMm(head, s.pos);
        assert.ok(Math.abs(gap - s.gridMm) < 1e-9, `recorded grid distance ${s.gridMm} vs ${gap}`);
        assert.ok(gap > 1e-3, `case ${i}: a truth ${gap} mm from a grid source`);
        // On the cortex: no further from the grid than a mesh triangle spans (the mesh is ~3.5 mm).
        assert.ok(gap < 6, `case ${i}: a truth ${gap} mm from the nearest grid source`);
        assert.ok(Math.abs(Math.hypot(...s.ori) - 1) < 1e-12);
      }
      gaps.push(...c.spec.sources.map((s) => s.gridMm));
    }
    gaps.sort((a, b) => a - b);
    const median = gaps[Math.floor(gaps.length / 2)];
    assert.ok(median > 0.8 && median < 3.5, `median distance to the grid ${median} mm`);
  });

  it('computes a truth\'s field with the forward\'s own sphere model (on a grid point it is the forward\'s column)', () => {
    for (const k of [0, 777, 1999]) {
      const F = head.truth.field({ pos: Array.from(head.forward.sourceRr.row(k)) as [number, number, number] });
      assert.equal(F.rows, head.info.nchan);
      for (let d = 0; d < 3; d++) for (let i = 0; i < F.rows; i += 17) assert.equal(F.get(i, d), head.forward.sol.get(i, 3 * k + d));
    }
  });

  it('regenerates a case from its seed', () => {
    const a = simulateCase(head, 5, 1005), b = simulateCase(head, 5, 1005);
    assert.deepEqual(a.spec, b.spec);
    assert.deepEqual(Array.from(a.evoked.data.data), Array.from(b.evoked.data.data));
    assert.notDeepEqual(simulateCase(head, 5, 1006).spec.sources, a.spec.sources);
  });

  it('scores recovery within 10 mm and spurious dipoles further than 10 mm from every truth', () => {
    const truth = simulateCase(head, 3, 1003).spec.sources;
    const at = (p: number[], dx: number) => [p[0] + dx, p[1], p[2]];
    const est = [
      { pos: at(truth[0].pos, 0.004), peak: truth[0].amplitude * 1.5, sourceIndex: 0 },
      { pos: at(truth[0].pos, 0.3), peak: 1, sourceIndex: 1 },
    ];
    const s = scoreCase(truth, est);
    assert.equal(s.sources[0].recovered, true);
    assert.ok(Math.abs(s.sources[0].errorMm - 4) < 1e-9);
    assert.ok(Math.abs(s.sources[0].amplitudeError - 0.5) < 1e-12);
    assert.equal(s.spurious, 1);
    assert.equal(s.nEstimated, 2);
  });
});

describe('accuracy study: held-out truth sources on the fixture forwards', function () {
  requireFixtures(this);
  this.timeout(180000);

  it('holds a fixed, spread set of surface sources out of the inverse and draws every truth from it', async () => {
    const head = (await fixtureHead('surf', FIXTURES))!;
    const full = await readForward(head.fwdPath);
    assert.deepEqual(head.heldOut, holdOutSet(full.sourceRr, HOLD_OUT_MM.surf));
    assert.equal(head.forward.nsource, full.nsource - head.heldOut.length);
    for (let i = 0; i < head.heldOut.length; i += 7) {
      for (let j = i + 1; j < head.heldOut.length; j += 5) assert.ok(mm(full.sourceRr.row(head.heldOut[i]), full.sourceRr.row(head.heldOut[j])) >= HOLD_OUT_MM.surf);
    }
    for (let i = 0; i < 12; i++) {
      const c = simulateCase(head, i, 2000 + i);
      for (const s of c.spec.sources) {
        assert.ok(head.heldOut.includes(s.fwdSource!), `truth at source ${s.fwdSource} is not a held-out one`);
        assert.deepEqual(s.pos, Array.from(full.sourceRr.row(s.fwdSource!)));
        const gap = nearestGridMm(head, s.pos);
        assert.ok(gap > 1 && Math.abs(gap - s.gridMm) < 1e-9, `grid distance ${gap} mm`);
        // Along the vertex's normal (the fixture's spaces are in head coordinates), tilted up to atan(0.35).
        const [hemi, i] = s.fwdSource! < full.src[0].nuse ? [0, s.fwdSource!] : [1, s.fwdSource! - full.src[0].nuse];
        const n = full.src[hemi].nn.row(full.src[hemi].vertno[i]);
        const cos = s.ori[0] * n[0] + s.ori[1] * n[1] + s.ori[2] * n[2];
        assert.ok(cos >= Math.cos(Math.atan(0.35)) - 1e-9, `truth tilted ${(Math.acos(cos) * 180) / Math.PI}° from its normal`);
      }
    }
  });

  it('keeps the kept sources\' gain columns and cps normals, as MNE\'s _restrict_forward_to_src_sel', async () => {
    const full = await readForward(path.join(FIXTURES, 'inputs', 'surf-fwd.fif'));
    const drop = [0, 1, 2, 2953, 2954, 5959];
    const r = withoutSources(full, drop);
    const keep = Array.from({ length: full.nsource }, (_, k) => k).filter((k) => !drop.includes(k));
    assert.equal(r.nsource, keep.length);
    assert.deepEqual(r.src.map((s) => s.nuse), [2954 - 4, 3006 - 2]);
    for (const j of [0, 100, keep.length - 1]) {
      const k = keep[j];
      for (let d = 0; d < 3; d++) assert.equal(r.sol.get(5, 3 * j + d), full.sol.get(5, 3 * k + d));
      assert.deepEqual(Array.from(r.sourceRr.row(j)), Array.from(full.sourceRr.row(k)));
    }
    // cps normals of the kept vertices: the patches stay those of the full source space
    for (let h = 0; h < 2; h++) {
      const before = sourceNormals(full.src[h], true), after = sourceNormals(r.src[h], true);
      const kept = Array.from(full.src[h].vertno).map((v, i) => [v, i]).filter(([v]) => r.src[h].vertno.includes(v));
      kept.forEach(([, i], j) => { for (let d = 0; d < 3; d++) assert.equal(after.get(j, d), before.get(i, d)); });
    }
  });

  describe('against MNE-Python', function () {
    requireMne(this);
    it('MNE-Python takes the same held-out sources out: the same positions and cps normals', async () => {
      const head = (await fixtureHead('surf', FIXTURES))!;
      const file = path.join(os.tmpdir(), `mxne-accuracy-held-${process.pid}.json`);
      fs.writeFileSync(file, JSON.stringify(head.heldOut));
      try {
        const mne = runPythonJson<{ rr: number[][]; nn: number[][] }>(`
import json, sys, numpy as np, mne
sys.path.insert(0, ${JSON.stringify(path.join(packageRoot(), 'bench', 'accuracy'))})
from mne_accuracy import _forward
fwd = _forward(${JSON.stringify(head.fwdPath)}, ${JSON.stringify(file)})
fwd = mne.convert_forward_solution(fwd, surf_ori=True, use_cps=True)
print(json.dumps({'rr': fwd['source_rr'][::97].tolist(), 'nn': fwd['source_nn'][2::3][::97].tolist()}))`);
        const normals = [...sourceNormals(head.forward.src[0], true).toRows(), ...sourceNormals(head.forward.src[1], true).toRows()];
        // The fixture's source spaces are stored in head coordinates, as MNE's normals are.
        assert.equal(head.forward.src[0].coordFrame, 4);
        mne.rr.forEach((p, j) => {
          const k = 97 * j, n = normals[k];
          assert.ok(mm(p, head.forward.sourceRr.row(k)) < 1e-6, `source ${k}: position`);
          for (let d = 0; d < 3; d++) assert.ok(Math.abs(mne.nn[j][d] - n[d]) < 1e-5, `source ${k}: cps normal ${mne.nn[j]} vs ${n}`);
        });
      } finally {
        fs.rmSync(file, { force: true });
      }
    });
  });
});
