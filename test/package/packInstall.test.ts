/**
 * mxne as a dependency, as a new user gets it: `npm pack` (prepack puts prebuildify's prebuilds/ in
 * the tarball), `npm install <tarball>` into a scratch project in the temp folder (no path back
 * to this repository), then the README's quick start there: `npx mxne demo` and the README's
 * `example.mjs`, which imports from 'mxne'. Skips with a message only when npm cannot run or the
 * registry (for mxne's dependencies) cannot be reached.
 */
import * as assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../../lib/native.js';
import { foreignEnv } from '../helpers/foreignEnv.js';
import { namedBlock } from '../helpers/readme.js';

/**
 * The environment of a user's shell: none of npm's lifecycle variables from this test run, and no
 * sanitizer runtime (under scripts/sanitize.sh, cmake and ninja would report their own leaks).
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(foreignEnv())) if (!/^(npm_|MXNE_PREBUILD|INIT_CWD)/i.test(k)) env[k] = v;
  return env;
}

function sh(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env: userEnv(), encoding: 'utf8', maxBuffer: 64 << 20, timeout: 20 * 60_000 });
}

const NETWORK = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network|socket hang up/i;

describe('mxne as a dependency: npm pack, install the tarball in a scratch project, run the quick start', function () {
  this.timeout(30 * 60_000);
  let tmp = '';
  let project = '';
  let tarball = '';

  before(function () {
    if (sh('npm', ['--version'], os.tmpdir()).status !== 0) {
      console.log('      [skip] npm is not on PATH: pack-and-install test skipped');
      this.skip();
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-pack-'));
    const pack = sh('npm', ['pack', '--json', '--pack-destination', tmp], packageRoot());
    assert.equal(pack.status, 0, `npm pack failed:\n${pack.stderr}`);
    // The lifecycle scripts (prepack's build) print to stdout too: npm's JSON is the last '[' line on.
    const lines = pack.stdout.split('\n');
    const info = JSON.parse(lines.slice(lines.lastIndexOf('[')).join('\n'));
    tarball = path.join(tmp, info[0].filename);
    const files: string[] = info[0].files.map((f: { path: string }) => f.path);
    assert.ok(files.includes(`prebuilds/${process.platform}-${process.arch}/mxne.node`), `tarball has the prebuild: ${files.filter((f) => f.startsWith('prebuilds')).join(', ')}`);
    assert.ok(!files.some((f) => f.startsWith('build/') || f.startsWith('test/') || f.startsWith('dist/test/')), 'no build folder or tests in the tarball');

    project = path.join(tmp, 'scratch');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }, null, 2));
    const install = sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], project);
    if (install.status !== 0 && NETWORK.test(install.stderr)) {
      console.log(`      [skip] the npm registry is unreachable (${install.stderr.match(NETWORK)?.[0]}): pack-and-install test skipped`);
      this.skip();
    }
    assert.equal(install.status, 0, `npm install ${tarball} failed:\n${install.stderr}`);
  });

  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  it('installs without compiling: the prebuild loads', () => {
    const installed = path.join(project, 'node_modules', 'mxne');
    assert.ok(fs.existsSync(path.join(installed, 'prebuilds', `${process.platform}-${process.arch}`, 'mxne.node')));
    assert.ok(!fs.existsSync(path.join(installed, 'build')), 'no source build happened');
    assert.ok(!fs.realpathSync(installed).startsWith(packageRoot()), 'installed as a copy, not a link to the repository');
  });

  it('`npx mxne demo` runs in the project', () => {
    const r = sh('npx', ['--no-install', 'mxne', 'demo', '--out', 'mxne-demo', '--n-sources', '600'], project);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /dipole\(s\)/);
    assert.ok(fs.existsSync(path.join(project, 'mxne-demo', 'result', 'result.json')));
  });

  it('the README\'s example.mjs (import { … } from \'mxne\') runs in the project', () => {
    fs.writeFileSync(path.join(project, 'example.mjs'), namedBlock('example.mjs').code);
    const r = sh(process.execPath, ['example.mjs'], project);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /dipole/);
  });

  // Last: it replaces the prebuild with a source build. The case of the report that started this
  // test: npm hoists cmake-js to the project, so a fixed nested path to it is not found.
  it('without a prebuild that loads, the install script builds from source with the cmake-js npm hoisted', () => {
    const installed = path.join(project, 'node_modules', 'mxne');
    assert.ok(fs.existsSync(path.join(project, 'node_modules', 'cmake-js', 'package.json')), 'cmake-js hoisted to the project');
    assert.ok(!fs.existsSync(path.join(installed, 'node_modules', 'cmake-js')), 'not nested under mxne');
    fs.rmSync(path.join(installed, 'prebuilds'), { recursive: true });
    const r = sh(process.execPath, [path.join(installed, 'scripts', 'install.js')], installed);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const loaded = sh(process.execPath, ['-e', "console.log(require('node-gyp-build').path(require('path').dirname(require.resolve('mxne/package.json'))))"], project);
    assert.equal(loaded.stdout.trim(), path.join(fs.realpathSync(installed), 'build', 'Release', 'mxne.node'), loaded.stderr);
    const demo = sh('npx', ['--no-install', 'mxne', 'demo', '--out', 'mxne-demo-src', '--n-sources', '600', '--quiet'], project);
    assert.equal(demo.status, 0, demo.stderr);
    // That build is kept while the sources are as they were, and made again once one is newer (a
    // clone pulled after a native change: its old build would load without the new exports).
    const built = path.join(installed, 'build', 'Release', 'mxne.node'), before = fs.statSync(built).mtimeMs;
    assert.equal(sh(process.execPath, [path.join(installed, 'scripts', 'install.js')], installed).status, 0);
    assert.equal(fs.statSync(built).mtimeMs, before, 'a current build is kept');
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(installed, 'binding', 'addon.cc'), later, later);
    const again = sh(process.execPath, [path.join(installed, 'scripts', 'install.js')], installed);
    assert.equal(again.status, 0, `${again.stdout}\n${again.stderr}`);
    assert.ok(fs.statSync(built).mtimeMs > before, 'a build older than a source is made again');
  });
});
