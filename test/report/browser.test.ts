/**
 * The demo's report.html in a real headless Chromium (Debian's `chromium`, driven by
 * playwright-core): no console errors, no failed requests (everything is inline), every figure
 * decodes, the 3-D canvas draws, the time slider changes the picture, and the page shows the
 * dipoles of result.json. A screenshot is kept in test-artifacts/ to look at. The batch's index
 * page: its rows, and its links open the recordings' reports.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { generateDemo } from '../../lib/demo/index.js';
import { packageRoot } from '../../lib/native.js';
import { mxne } from '../helpers/cli.js';
import { skipSuite } from '../helpers/skips.js';
import { foreignEnv } from '../helpers/foreignEnv.js';

const CHROMIUM = process.env.MXNE_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
export const ARTIFACTS = path.join(packageRoot(), 'test-artifacts');

/** Pixels of `png` that are not (near) white. */
function inked(png: PNG): number {
  let n = 0;
  for (let o = 0; o < png.data.length; o += 4) if (png.data[o] < 245 || png.data[o + 1] < 245 || png.data[o + 2] < 245) n++;
  return n;
}

function differing(a: PNG, b: PNG): number {
  let n = 0;
  for (let o = 0; o < a.data.length; o += 4) if (a.data[o] !== b.data[o] || a.data[o + 1] !== b.data[o + 1] || a.data[o + 2] !== b.data[o + 2]) n++;
  return n;
}

/** Chromium with a page that records console errors/warnings, page errors, failed requests and any request leaving file:/data:. */
async function openBrowser(problems: string[]): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, env: foreignEnv(), args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (q) => problems.push(`request failed: ${q.url().slice(0, 80)} ${q.failure()?.errorText}`));
  page.on('request', (q) => { if (!/^(file|data):/.test(q.url())) problems.push(`request leaves the page: ${q.url()}`); });
  return { browser, page };
}

/** Call inside describe(): true (and the suite skipped, as skipSuite does) when there is no Chromium. */
function skipWithoutChromium(ctx: Mocha.Suite): boolean {
  if (!CHROMIUM) skipSuite(ctx, 'chromium not found (/usr/bin/chromium)', 'To run it: apt-get install chromium (or set MXNE_CHROMIUM to a Chromium binary).');
  return !CHROMIUM;
}

describe('report: report.html in headless Chromium', function () {
  this.timeout(180000);
  if (skipWithoutChromium(this)) return;
  let tmp = '', browser: Browser, page: Page;
  const problems: string[] = [];
  let result: { dipoles: { pos: number[]; hemi: string; vertno: number; peakAmplitude: number }[] };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-report-'));
    const r = await mxne('demo', '--out', tmp, '--n-sources', '600', '--quiet');
    assert.equal(r.code, 0, r.stderr);
    result = JSON.parse(fs.readFileSync(path.join(tmp, 'result', 'result.json'), 'utf8'));
    ({ browser, page } = await openBrowser(problems));
    await page.goto(`file://${path.join(tmp, 'result', 'report.html')}`);
    await page.waitForSelector('body[data-viewer-ready="true"]', { timeout: 60000 });
  });
  after(async () => {
    await browser?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('loads with no console error, no failed or outside request, and every figure decoded', async () => {
    const images = await page.$$eval('#figures img', (imgs) => imgs.map((i) => ({ id: i.closest('figure')!.id, w: (i as HTMLImageElement).naturalWidth })));
    assert.deepEqual(images.map((i) => i.id).sort(), [
      'fig-butterfly-evoked-eeg', 'fig-butterfly-evoked-grad', 'fig-butterfly-evoked-mag', 'fig-butterfly-residual-eeg', 'fig-butterfly-residual-grad', 'fig-butterfly-residual-mag',
      'fig-dipole-amplitudes', 'fig-glass-brain', ...result.dipoles.map((_, k) => `fig-mri-dipole-${k}`), 'fig-mri-strongest',
    ].sort());
    for (const i of images) assert.ok(i.w > 100, `${i.id} decoded (${i.w} px wide)`);
    assert.deepEqual(problems, []);
  });

  it('shows the dipoles of result.json: table rows and 3-D scene positions', async () => {
    const rows = await page.$$eval('#dipole-table tr', (trs) => trs.slice(1).map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)));
    assert.equal(rows.length, result.dipoles.length);
    result.dipoles.forEach((d, k) => {
      assert.equal(rows[k][1], d.hemi);
      assert.equal(rows[k][2], String(d.vertno));
      assert.equal(rows[k][3], d.pos.map((x) => (x * 1e3).toFixed(1)).join(', '));
    });
    const scene = JSON.parse(await page.$eval('#scene-data', (s) => s.textContent!));
    scene.dipoles.forEach((d: { pos: number[] }, k: number) => d.pos.forEach((x, c) => assert.ok(Math.abs(x - result.dipoles[k].pos[c] * 1e3) < 1e-9)));
  });

  it('draws the 3-D view, and the time slider changes it; a screenshot is kept', async () => {
    const canvas = page.locator('#view3d-canvas');
    const before = PNG.sync.read(await canvas.screenshot());
    assert.ok(inked(before) > 0.05 * before.width * before.height, `cortex and arrows drawn: ${inked(before)} of ${before.width * before.height} pixels`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    // A full page of figures and a WebGL canvas in SwiftShader: slow on a loaded machine (30 s was exceeded at load 17).
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-page.png'), fullPage: true, timeout: 150000 });
    fs.writeFileSync(path.join(ARTIFACTS, 'report-3d-peak.png'), PNG.sync.write(before));
    const label = await page.textContent('#time-label');
    await page.$eval('#time-slider', (s) => { (s as HTMLInputElement).value = '0'; s.dispatchEvent(new Event('input')); });
    const after = PNG.sync.read(await canvas.screenshot());
    fs.writeFileSync(path.join(ARTIFACTS, 'report-3d-t0.png'), PNG.sync.write(after));
    assert.notEqual(await page.textContent('#time-label'), label);
    assert.ok(differing(before, after) > 200, `${differing(before, after)} pixels changed with the slider`);
    assert.deepEqual(problems, []);
  });
});

describe('report: the batch index page in headless Chromium', function () {
  this.timeout(240000);
  if (skipWithoutChromium(this)) return;
  let tmp = '', browser: Browser, page: Page;
  const problems: string[] = [];

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-index-'));
    const demo = await generateDemo({ outDir: path.join(tmp, 'data'), nSources: 300 });
    fs.writeFileSync(path.join(tmp, 'm.csv'), `id,forward,evoked,covariance,subject\nrec-1,${demo.fwd},${demo.evoked},${demo.cov},${demo.subject}\nbroken,${demo.fwd},${demo.cov},${demo.cov},\n`);
    const r = await mxne('batch', path.join(tmp, 'm.csv'), '--out', path.join(tmp, 'out'), '--subjects-dir', demo.subjectsDir, '--jobs', '1', '-q');
    assert.equal(r.code, 1, r.stderr);
    ({ browser, page } = await openBrowser(problems));
    await page.goto(`file://${path.join(tmp, 'out', 'index.html')}`);
  });
  after(async () => {
    await browser?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('lists the recordings with their status, and its link opens the recording\'s report (offline, no errors)', async () => {
    const rows = await page.$$eval('#recordings tr', (trs) => trs.slice(1).map((tr) => [tr.className, tr.querySelector('code')!.textContent]));
    assert.deepEqual(rows, [['solved', 'rec-1'], ['failed', 'broken']]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'batch-index.png'), fullPage: true, timeout: 150000 });
    await page.click('#recordings a[href="rec-1/report.html"]');
    await page.waitForSelector('body[data-viewer-ready="true"]', { timeout: 60000 });
    assert.ok(page.url().endsWith('/out/rec-1/report.html'));
    assert.equal(await page.$$eval('#dipole-table tr', (trs) => trs.length - 1), JSON.parse(fs.readFileSync(path.join(tmp, 'out', 'rec-1', 'result.json'), 'utf8')).dipoles.length);
    assert.deepEqual(problems, []);
  });
});
