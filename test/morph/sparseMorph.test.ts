import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../lib/errors.js';
import { writeStc } from '../../lib/io/stc.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { applySourceMorph, computeSourceMorph } from '../../lib/morph/computeSourceMorph.js';
import type { SourceEstimate } from '../../lib/records/sourceEstimate.js';
import { requireSubjects, SUBJECTS } from '../helpers/fixtures.js';
import { requireMne } from '../helpers/python.js';
import { runMne } from '../results/mnePython.js';

interface Reference { from_vertices: number[][]; from_data: number[][]; to_vertices: number[][]; to_data: number[][] }

function referenceStc(ref: Reference): SourceEstimate {
  return { kind: 'surface', vector: false, vertices: ref.from_vertices.map((v) => Int32Array.from(v)), data: Matrix.fromRows(ref.from_data), tmin: 0.01, tstep: 0.005, subject: 'sample_ds' };
}

describe('morph: sparse morph sample_ds → fsaverage_ds equals MNE-Python 1.3', function () {
  requireSubjects(this);
  let ref: Reference;
  before(() => { ref = JSON.parse(fs.readFileSync(path.join(SUBJECTS, 'morph-sparse-reference.json'), 'utf8')); });

  it('maps every vertex and reorders the rows exactly as morph-sparse-reference.json', async () => {
    const stc = referenceStc(ref);
    const morph = await computeSourceMorph(stc, { subjectTo: 'fsaverage_ds', subjectsDir: SUBJECTS, sparse: true });
    const out = applySourceMorph(morph, stc);
    assert.deepEqual(out.vertices.map((v) => Array.from(v)), ref.to_vertices);
    assert.deepEqual(out.data.toRows(), ref.to_data);
    assert.equal(out.subject, 'fsaverage_ds');
    assert.equal(out.tmin, stc.tmin);
  });

  it('a morph onto the same subject keeps every vertex', async () => {
    const stc = referenceStc(ref);
    const morph = await computeSourceMorph(stc, { subjectTo: 'sample_ds', subjectsDir: SUBJECTS, sparse: true });
    assert.deepEqual(morph.verticesTo.map((v) => Array.from(v)), ref.from_vertices);
  });

  it('refuses a missing subject, a vertex beyond the sphere and a dense morph with typed errors', async () => {
    const stc = referenceStc(ref);
    await assert.rejects(computeSourceMorph(stc, { subjectTo: 'nobody', subjectsDir: SUBJECTS, sparse: true }), (e: unknown) => e instanceof InputError && /subjectTo lh\.sphere\.reg/.test(e.message));
    const far = { ...stc, vertices: [Int32Array.from([39, 99999]), stc.vertices[1]], data: Matrix.fromRows(ref.from_data.slice(0, 6)) };
    await assert.rejects(computeSourceMorph(far, { subjectTo: 'fsaverage_ds', subjectsDir: SUBJECTS, sparse: true }), (e: unknown) => e instanceof InputError && e.field === 'stc.vertices' && /99999/.test(e.message));
    await assert.rejects(computeSourceMorph(stc, { subjectTo: 'fsaverage_ds', subjectsDir: SUBJECTS, sparse: false as unknown as true }), (e: unknown) => e instanceof InputError && e.field === 'sparse');
  });

  describe('against MNE-Python live on 300 random vertices per hemisphere', function () {
    requireMne(this);
    it('the same target vertex for every source vertex, in the same order (repeats included)', async () => {
      // MNE caches morph maps inside the subjects folder, so it works on a writable copy.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-morph-subjects-'));
      try {
        for (const s of ['sample_ds', 'fsaverage_ds']) fs.cpSync(path.join(SUBJECTS, s), path.join(dir, s), { recursive: true });
        const mne = runMne(`
import mne, numpy as np
rng = np.random.RandomState(0)
verts = [np.sort(rng.choice(10242, 300, replace=False)) for _ in range(2)]
stc = mne.SourceEstimate(np.zeros((600, 1)), verts, 0, 1, subject='sample_ds')
m = mne.compute_source_morph(stc, 'sample_ds', 'fsaverage_ds', spacing=None, sparse=True, subjects_dir=args['dir'], verbose=False)
print(json.dumps(dict(frm=[v.tolist() for v in verts], to=[v.tolist() for v in m.vertices_to], cols=m.morph_mat.tocsr().indices.tolist())))`, { dir });
        const stc: SourceEstimate = { kind: 'surface', vector: false, vertices: mne.frm.map((v: number[]) => Int32Array.from(v)), data: new Matrix(600, 1), tmin: 0, tstep: 1, subject: 'sample_ds' };
        const morph = await computeSourceMorph(stc, { subjectTo: 'fsaverage_ds', subjectsDir: dir, sparse: true });
        assert.deepEqual(morph.verticesTo.map((v) => Array.from(v)), mne.to);
        // Which source row goes to which target row; among sources sharing a target numpy's
        // (unstable) quicksort picks an order of its own, and applySourceMorph sums those rows.
        const pairs = (cols: ArrayLike<number>) => Array.from(cols, (c, r) => `${[...mne.to[0], ...mne.to[1]][r]}:${c}`).sort();
        assert.deepEqual(pairs([...morph.rowsFrom[0], ...Array.from(morph.rowsFrom[1], (i) => i + 300)]), pairs(mne.cols));
        const repeats = mne.to[0].length - new Set(mne.to[0]).size + mne.to[1].length - new Set(mne.to[1]).size;
        assert.ok(repeats > 0, 'the sample includes source vertices sharing a target');
        const out = applySourceMorph(morph, { ...stc, data: new Matrix(600, 1, new Float64Array(600).fill(1)) });
        assert.equal(out.data.rows, 600 - repeats);
        assert.equal(out.data.data.reduce((a, b) => a + b, 0), 600);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('the morphed .stc read by MNE-Python (mne.read_source_estimate)', function () {
    requireMne(this);
    it('has the reference vertices and data (float32 in the file)', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-morph-'));
      try {
        const stc = referenceStc(ref);
        const out = applySourceMorph(await computeSourceMorph(stc, { subjectTo: 'fsaverage_ds', subjectsDir: SUBJECTS, sparse: true }), stc);
        await writeStc(path.join(dir, 'morphed'), out);
        const back = runMne(`
import mne
stc = mne.read_source_estimate(args['stem'], subject='fsaverage_ds')
print(json.dumps(dict(vertices=[v.tolist() for v in stc.vertices], data=stc.data.tolist(), tmin=float(stc.tmin), tstep=float(stc.tstep))))`, { stem: path.join(dir, 'morphed') });
        assert.deepEqual(back.vertices, ref.to_vertices);
        back.data.forEach((row: number[], i: number) => row.forEach((x, t) => assert.equal(x, Math.fround(ref.to_data[i][t]))));
        assert.ok(Math.abs(back.tmin - 0.01) < 1e-7 && Math.abs(back.tstep - 0.005) < 1e-7);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
