/**
 * Issue 15 §3, the kill test: `mxne solve` killed with SIGKILL at times spread over a run, into a
 * folder that holds a previous run with other settings. After every kill the folder holds exactly
 * one run's files (the old or the new), each whole: never a mix, never a partial final-named file.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemo } from '../../lib/demo/index.js';
import { readEvoked } from '../../lib/io/fiff/readEvoked.js';
import { packageRoot } from '../../lib/native.js';

const MAIN = path.join(packageRoot(), 'dist', 'lib', 'cli', 'main.js');

/** What identifies a folder's content: file name → fingerprint (timings, file ids and dates left out). */
type Fingerprint = Record<string, string>;

async function fingerprint(dir: string): Promise<Fingerprint> {
  const out: Fingerprint = {};
  for (const name of fs.readdirSync(dir, { recursive: true }).map(String).sort()) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isDirectory()) continue;
    let content: Buffer | string = fs.readFileSync(file);
    if (name === 'result.json') {
      const { timings: _t, ...rest } = JSON.parse(content.toString('utf8')) as Record<string, unknown>;
      content = JSON.stringify(rest);
    } else if (name === 'report.html') {
      content = content.toString('utf8').replace(/<tr><th>timings<\/th>.*?<\/tr>/, '');
    } else if (name.endsWith('.fif')) {
      content = Buffer.from((await readEvoked(file)).data.data.buffer);
    }
    out[name] = crypto.createHash('sha256').update(content).digest('hex');
  }
  return out;
}

interface Run { code: number | null; signal: NodeJS.Signals | null; ms: number }

function solve(args: string[], out: string, killAfterMs: number | null): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [MAIN, 'solve', ...args, '--out', out, '--quiet'], { stdio: 'ignore' });
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, ms: performance.now() - t0 });
    });
  });
}

describe('reliability: SIGKILL during mxne solve never leaves a folder mixing runs', function () {
  this.timeout(300000);
  let tmp = '';
  let inputs: string[] = [];
  const refs: Record<'old' | 'new', Fingerprint> = { old: {}, new: {} };
  let newMs = 0;
  // Two settings whose every output differs (another alpha: other dipoles, estimate, residual).
  const settings = { old: ['--alpha', '40'], new: ['--alpha', '99.9', '--n-mxne-iter', '1'] };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-kill-'));
    const d = await generateDemo({ outDir: path.join(tmp, 'data'), nSources: 400, seed: 7 });
    inputs = ['--fwd', d.fwd, '--evoked', d.evoked, '--cov', d.cov];
    for (const which of ['old', 'new'] as const) {
      const r = await solve([...inputs, ...settings[which]], path.join(tmp, `ref-${which}`), null);
      assert.equal(r.code, 0, `reference run ${which}`);
      refs[which] = await fingerprint(path.join(tmp, `ref-${which}`));
      if (which === 'new') newMs = r.ms;
    }
    // Every file differs between the two runs, so a folder mixing them matches neither; except the
    // butterflies of the evoked input, which both runs share.
    for (const name of Object.keys(refs.new)) if (!name.startsWith('figures/butterfly-evoked-')) assert.notEqual(refs.old[name], refs.new[name], name);
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  it('8 kills spread over a run: each leaves the old run or the new one, whole', async () => {
    const seen = { old: 0, new: 0, none: 0 };
    for (let k = 0; k < 8; k++) {
      const out = path.join(tmp, `out-${k}`);
      fs.cpSync(path.join(tmp, 'ref-old'), out, { recursive: true });
      const at = Math.round((k + 0.5) / 8 * newMs * 1.1);
      const r = await solve([...inputs, ...settings.new], out, at);
      const left = fs.existsSync(out) ? await fingerprint(out) : null;
      const which = left === null ? 'none' : JSON.stringify(left) === JSON.stringify(refs.old) ? 'old' : JSON.stringify(left) === JSON.stringify(refs.new) ? 'new' : null;
      assert.ok(which !== null, `kill at ${at} ms (${r.signal ?? r.code}): the folder mixes runs or holds a partial file: ${JSON.stringify(left)}`);
      seen[which]++;
      // Whatever the kill left beside the folder is cleaned up by the next run into it.
      if (k % 3 !== 2) continue;
      const again = await solve([...inputs, ...settings.new], out, null);
      assert.equal(again.code, 0);
      assert.deepEqual(await fingerprint(out), refs.new);
      assert.deepEqual(fs.readdirSync(tmp).filter((e) => e.startsWith(`.out-${k}.`)), [], 'leftovers removed');
    }
    assert.ok(seen.old > 0, `some kills must land before the swap: ${JSON.stringify(seen)}`);
  });
});
