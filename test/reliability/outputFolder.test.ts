/**
 * Issue 15 §2, the output folder: a run replaces the folder whole (never a mix of two runs),
 * nothing is created before the inputs are validated, --out on procfs fails at once, and the
 * leftovers of a killed run are removed by the next one.
 */
import * as assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../lib/errors.js';
import { checkOutputFolder, replaceFolder } from '../../lib/io/outputFolder.js';
import { packageRoot } from '../../lib/native.js';
import { solveFiles } from '../../lib/workflow/solveFiles.js';

const write = (dir: string, files: Record<string, string>) => async (staging: string) => {
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(staging, name), text);
  return Object.keys(files);
};
const listing = (dir: string) => fs.readdirSync(dir).sort();

describe('reliability: output folders hold one run', () => {
  let tmp = '';
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-out-')); });
  afterEach(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  it('a second run with fewer outputs leaves none of the first run\'s files', async () => {
    const out = path.join(tmp, 'a', 'b', 'out');
    await replaceFolder(out, write(out, { 'result.json': '{"n":2}', 'dipoles.bdip': 'x', 'mxne-lh.stc': 'y' }));
    assert.deepEqual(listing(out), ['dipoles.bdip', 'mxne-lh.stc', 'result.json']);
    await replaceFolder(out, write(out, { 'result.json': '{"n":0}', 'mxne-lh.stc': 'z' }));
    assert.deepEqual(listing(out), ['mxne-lh.stc', 'result.json']);
    assert.equal(fs.readFileSync(path.join(out, 'result.json'), 'utf8'), '{"n":0}');
    assert.deepEqual(listing(path.dirname(out)), ['out'], 'no staging or set-aside folders left');
  });

  it('a run that fails while writing leaves the previous run untouched and no staging folder', async () => {
    const out = path.join(tmp, 'out');
    await replaceFolder(out, write(out, { 'result.json': 'old' }));
    await assert.rejects(replaceFolder(out, async (staging) => { fs.writeFileSync(path.join(staging, 'result.json'), 'new'); throw new Error('disk full'); }), /disk full/);
    assert.deepEqual(listing(tmp), ['out']);
    assert.equal(fs.readFileSync(path.join(out, 'result.json'), 'utf8'), 'old');
  });

  it('an existing empty folder is filled; a folder of someone else\'s files is refused, untouched', async () => {
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    await replaceFolder(empty, write(empty, { 'result.json': '1' }));
    assert.deepEqual(listing(empty), ['result.json']);
    const theirs = path.join(tmp, 'theirs');
    fs.mkdirSync(theirs);
    fs.writeFileSync(path.join(theirs, 'thesis.tex'), 'precious');
    await assert.rejects(replaceFolder(theirs, write(theirs, { 'result.json': '1' })), (e: unknown) => e instanceof InputError && /thesis\.tex/.test(e.message));
    assert.deepEqual(listing(theirs), ['thesis.tex']);
  });

  it('the staging and set-aside folders of a killed run (dead pid) are removed by the next run', async () => {
    const out = path.join(tmp, 'out');
    const dead = await new Promise<number>((resolve) => { const c = spawn(process.execPath, ['-e', '0']); c.on('exit', () => resolve(c.pid as number)); });
    fs.mkdirSync(path.join(tmp, `.out.mxne-${dead}-1a.new`));
    fs.writeFileSync(path.join(tmp, `.out.mxne-${dead}-1a.new`, 'result.json'), 'partial');
    fs.mkdirSync(path.join(tmp, `.out.mxne-${dead}-1a.old`));
    fs.mkdirSync(path.join(tmp, `.other.mxne-${dead}-1a.new`));
    await replaceFolder(out, write(out, { 'result.json': '1' }));
    assert.deepEqual(listing(tmp), [`.other.mxne-${dead}-1a.new`, 'out']);
  });

  it('--out under /proc fails at once with an InputError (Node 20\'s recursive mkdir never settles there)', async function () {
    if (!fs.existsSync('/proc/self')) this.skip();
    await assert.rejects(checkOutputFolder('/proc/x/y'), (e: unknown) => e instanceof InputError && /--out.*procfs/.test(e.message));
    await assert.rejects(replaceFolder('/proc/x', write('', { 'result.json': '1' })), InputError);
  });

  it('mxne solve / demo --out /proc/x: exit code 2 naming the folder, not a process that never ends', async function () {
    if (!fs.existsSync('/proc/self')) this.skip();
    const main = path.join(packageRoot(), 'dist', 'lib', 'cli', 'main.js');
    const run = (...args: string[]) => new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const c = execFile(process.execPath, [main, ...args], { timeout: 30000 }, (err, _out, stderr) => resolve({ code: c.exitCode, stderr }));
    });
    const solve = await run('solve', '--fwd', 'a-fwd.fif', '--evoked', 'a-ave.fif', '--cov', 'a-cov.fif', '--out', '/proc/x');
    assert.equal(solve.code, 2, solve.stderr);
    assert.match(solve.stderr, /\/proc\/x/);
    const demo = await run('demo', '--out', '/proc/x');
    assert.equal(demo.code, 2, demo.stderr);
    assert.match(demo.stderr, /\/proc\/x/);
  });

  it('a bad input creates no output folder (inputs are validated before --out is created)', async () => {
    const out = path.join(tmp, 'never');
    const job = {
      fwd: path.join(tmp, 'nope-fwd.fif'), evoked: path.join(tmp, 'nope-ave.fif'), cov: path.join(tmp, 'nope-cov.fif'), out,
      condition: 0, baseline: null, tmin: null, tmax: null, weights: 'none' as const, mixedNorm: { alpha: 50 },
    };
    await assert.rejects(solveFiles(job));
    assert.equal(fs.existsSync(out), false);
    assert.deepEqual(listing(tmp), []);
  });
});
