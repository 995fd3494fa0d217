/**
 * `mxne batch` with pictures: every recording's report.html (what `mxne solve` writes), the
 * cohort's index.html (per shard, and rebuilt across shards by batch-collect, with the cohort's
 * glass brain on the morph target), and --morph-to:
 * dipoles.csv gains each dipole's vertex and position on the target subject, each row's subject
 * from the manifest. On the demo generator's subjects (demo → demo-template, with ?h.white) and on
 * ../shared/subjects (sample_ds → fsaverage_ds, which has no ?h.white: vertices only, said so).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { generateDemo } from '../../lib/demo/index.js';
import { readSurface } from '../../lib/io/freesurfer/surface.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { computeSourceMorph } from '../../lib/morph/computeSourceMorph.js';
import type { BatchSummary } from '../../lib/batch/tables.js';
import type { SolveSummary } from '../../lib/workflow/summary.js';
import { errorLines, mxne } from '../helpers/cli.js';
import { requireSubjects, SUBJECTS } from '../helpers/fixtures.js';

type Row = Record<string, string | number>;

/** The target vertex of each dipole of a run, by the API (the estimate built from the dipoles as the run does). */
async function apiTargets(s: SolveSummary, subjectFrom: string, subjectTo: string, subjectsDir: string): Promise<number[]> {
  const verts = [0, 1].map((h) => s.dipoles.filter((d) => d.hemi === (h === 0 ? 'lh' : 'rh')).map((d) => d.vertno));
  const morph = await computeSourceMorph({ kind: 'surface', vector: false, vertices: verts.map((v) => Int32Array.from(v)), data: new Matrix(s.dipoles.length, 1), tmin: 0, tstep: 1, subject: subjectFrom },
    { subjectTo, subjectsDir, sparse: true });
  const seen = [0, 0];
  return s.dipoles.map((d) => {
    const h = d.hemi === 'lh' ? 0 : 1;
    const j = seen[h]++;
    return morph.verticesTo[h][Array.from(morph.rowsFrom[h]).indexOf(j)];
  });
}

describe('batch: reports, the index page and --morph-to (demo data)', function () {
  this.timeout(300_000);
  let tmp = '';
  const at = (...p: string[]) => path.join(tmp, ...p);
  const subjects = () => at('s1', 'subjects');
  const result = (dir: string, id: string) => JSON.parse(fs.readFileSync(at(dir, id, 'result.json'), 'utf8')) as SolveSummary;
  const csv = (file: string) => parseCsv(fs.readFileSync(file, 'utf8'), { columns: true, cast: true }) as Row[];

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-batch-reports-'));
    await generateDemo({ outDir: at('s1'), nSources: 300, seed: 1, conditions: 2 });
    const ave = fs.readFileSync(at('s1', 'demo-ave.fif'));
    fs.writeFileSync(at('corrupt-ave.fif'), ave.subarray(0, ave.length >> 1));
    const row = (id: string, evoked: string, condition: string) => `${id},s1/demo-fwd.fif,${evoked},s1/demo-cov.fif,${condition},demo`;
    fs.writeFileSync(at('m.csv'), ['id,forward,evoked,covariance,condition,subject', row('a', 's1/demo-ave.fif', 'Demo'), row('b', 's1/demo-ave.fif', 'Demo 2'), row('corrupt', 'corrupt-ave.fif', '0'), ''].join('\n'));
    // Two shards, then batch-collect: each shard's index, and the cohort's across them.
    for (const shard of ['0/2', '1/2']) {
      const r = await mxne('batch', at('m.csv'), '--out', at('out'), '--shard', shard, '--subjects-dir', subjects(), '--morph-to', 'demo-template', '--jobs', '2', '-q');
      assert.ok(r.code === 0 || /corrupt/.test(r.stderr), r.stderr);
    }
    const c = await mxne('batch-collect', at('out'));
    assert.equal(c.code, 1, 'the corrupt row failed');
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  it('a row writes what mxne solve writes with the same pictures and morph: same files, same figures, same report but timings', async () => {
    const r = await mxne('solve', '--fwd', at('s1', 'demo-fwd.fif'), '--evoked', at('s1', 'demo-ave.fif'), '--cov', at('s1', 'demo-cov.fif'), '--condition', 'Demo 2',
      '--subjects-dir', subjects(), '--subject', 'demo', '--morph-to', 'demo-template', '--out', at('solo'), '-q');
    assert.equal(r.code, 0, r.stderr);
    const files = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).sort();
    assert.deepEqual(files(at('out', 'b')), files(at('solo')));
    assert.ok(files(at('solo')).includes('report.html') && files(at('solo')).includes('figures/glass-brain-demo-template.svg'));
    for (const f of files(at('solo')).filter((f) => f.startsWith('figures/') && f.includes('.'))) {
      assert.ok(fs.readFileSync(at('solo', f)).equals(fs.readFileSync(at('out', 'b', f))), f);
    }
    const page = (dir: string) => fs.readFileSync(path.join(dir, 'report.html'), 'utf8').replace(/<tr><th>timings<\/th>.*?<\/tr>/, '');
    assert.equal(page(at('out', 'b')), page(at('solo')));
    const { timings: _a, ...batchRow } = result('out', 'b');
    const { timings: _b, ...solved } = JSON.parse(fs.readFileSync(at('solo', 'result.json'), 'utf8')) as SolveSummary;
    assert.deepEqual(batchRow, solved);
  });

  it('dipoles.csv gains each dipole\'s demo-template vertex (as the API morphs it) and its ?h.white position', async () => {
    const rows = csv(at('out', 'dipoles.csv'));
    const white = await Promise.all(['lh', 'rh'].map((h) => readSurface(path.join(subjects(), 'demo-template', 'surf', `${h}.white`))));
    for (const id of ['a', 'b']) {
      const s = result('out', id);
      const mine = rows.filter((d) => d.id === id);
      assert.equal(mine.length, s.dipoles.length);
      assert.ok(s.dipoles.length > 0);
      assert.deepEqual(mine.map((d) => d.morphVertex), await apiTargets(s, 'demo', 'demo-template', subjects()));
      mine.forEach((d, k) => {
        assert.equal(d.morphSubject, 'demo-template');
        assert.equal(d.vertex, s.dipoles[k].vertno);
        const rr = white[s.dipoles[k].hemi === 'lh' ? 0 : 1].rr;
        assert.deepEqual([d.morphX, d.morphY, d.morphZ], [0, 1, 2].map((c) => rr.get(Number(d.morphVertex), c) / 1e3));
      });
      assert.deepEqual(s.morph?.dipoles.map((m) => m.vertex), mine.map((d) => d.morphVertex), 'result.json says the same');
    }
  });

  it('index.html per shard and across shards: a row per recording, status, numbers, links to the reports that exist', () => {
    const summary = JSON.parse(fs.readFileSync(at('out', 'batch-summary.json'), 'utf8')) as BatchSummary;
    const html = fs.readFileSync(at('out', 'index.html'), 'utf8');
    assert.doesNotMatch(html, /<script|<link[^>]+href="http|src="http/i, 'self-contained, nothing loaded');
    const trs = [...html.matchAll(/<tr class="(\w+)">(.*?)<\/tr>/g)];
    assert.deepEqual(trs.map((m) => [/<code>(.*?)<\/code>/.exec(m[2])![1], m[1]]), [['a', 'solved'], ['b', 'solved'], ['corrupt', 'failed']]);
    for (const [k, id] of ['a', 'b'].entries()) {
      assert.match(trs[k][2], new RegExp(`<a href="${id}/report.html">report</a>`));
      assert.ok(trs[k][2].includes(`<td class="n">${summary.rows[k].explainedVariance!.toFixed(1)}</td>`));
      assert.ok(trs[k][2].includes(`<td class="n">${result('out', id).dipoles.length}</td>`));
    }
    assert.doesNotMatch(trs[2][2], /href=/, 'no report for a failed row');
    assert.match(trs[2][2], /EFIFF: /);
    assert.match(html, /3 recordings: 2 solved, 0 done before, 1 failed/);
    // After --morph-to, the cohort's dipoles in one space: every dipole of dipoles.csv on demo-template, by condition.
    const svg = Buffer.from(/<figure id="fig-cohort-glass-brain">.*?src="data:image\/svg\+xml;base64,([^"]+)"/s.exec(html)![1], 'base64').toString('utf8');
    const n = csv(at('out', 'dipoles.csv')).length;
    assert.ok(svg.includes(`${n} dipoles of the cohort on demo-template`), 'title with the count');
    for (const label of ['condition Demo', 'condition Demo 2']) assert.ok(svg.includes(label), label);
    const shards = fs.readdirSync(at('out')).filter((f) => /^index\.shard-\d-of-2\.html$/.test(f));
    assert.equal(shards.length, 2);
    const ids = shards.flatMap((f) => [...fs.readFileSync(at('out', f), 'utf8').matchAll(/<tr class="\w+"><td><code>(.*?)<\/code>/g)].map((m) => m[1]));
    assert.deepEqual(ids.sort(), ['a', 'b', 'corrupt'], 'each row in exactly one shard\'s index');
  });

  it('--morph-to a subject without sphere.reg, or without --subjects-dir: exit 2 naming the option, before any work', async () => {
    const never = at('never');
    const noTarget = await mxne('batch', at('m.csv'), '--out', never, '--subjects-dir', subjects(), '--morph-to', 'nobody');
    assert.equal(noTarget.code, 2);
    assert.match(errorLines(noTarget.stderr)[0], /for --morph-to but received nobody: .*nobody\/surf\/lh\.sphere\.reg does not exist/);
    const noDir = await mxne('batch', at('m.csv'), '--out', never, '--morph-to', 'demo-template');
    assert.equal(noDir.code, 2);
    assert.match(errorLines(noDir.stderr)[0], /--subjects-dir/);
    assert.equal(fs.existsSync(never), false);
  });

  describe('sample_ds → fsaverage_ds (../shared/subjects)', function () {
    requireSubjects(this);
    it('target vertices as MNE\'s sparse morph gives them; fsaverage_ds has no ?h.white: no positions, no glass brain, both said', async () => {
      // The demo forward's vertices (< 182) are vertices of sample_ds's ico-5 sphere.reg: a morph of real registration surfaces.
      fs.writeFileSync(at('ds.csv'), 'id,forward,evoked,covariance,condition,subject\nds,s1/demo-fwd.fif,s1/demo-ave.fif,s1/demo-cov.fif,0,sample_ds\n');
      const r = await mxne('batch', at('ds.csv'), '--out', at('ds'), '--subjects-dir', SUBJECTS, '--morph-to', 'fsaverage_ds', '--jobs', '1');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /--morph-to fsaverage_ds: .*fsaverage_ds\/surf\/lh\.white does not exist, so dipoles\.csv gets the fsaverage_ds vertices without positions/);
      const s = result('ds', 'ds');
      const rows = csv(at('ds', 'dipoles.csv'));
      assert.deepEqual(rows.map((d) => d.morphVertex), await apiTargets(s, 'sample_ds', 'fsaverage_ds', SUBJECTS));
      assert.ok(rows.every((d) => d.morphSubject === 'fsaverage_ds' && d.morphX === '' && d.morphY === '' && d.morphZ === ''));
      assert.equal(s.morph?.surface, null);
      assert.match(s.morph!.note!, /lh\.white does not exist/);
      const html = fs.readFileSync(at('ds', 'ds', 'report.html'), 'utf8');
      assert.match(html, /No glass brain on fsaverage_ds: .*lh\.white does not exist/);
      assert.match(html, /No MRI slices: .*sample_ds\/mri\/T1\.mgz does not exist/);
      assert.ok(fs.existsSync(at('ds', 'ds', 'mxne-fsaverage_ds-lh.stc')));
      assert.doesNotMatch(fs.readFileSync(at('ds', 'index.html'), 'utf8'), /fig-cohort-glass-brain/, 'no positions, no cohort glass brain');
    });
  });
});
