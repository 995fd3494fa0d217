#!/usr/bin/env node
// npm install step. Prefer the prebuilt binary shipped in prebuilds/ when it really loads here
// (dlopen, so a missing libopenblas0/liblapacke counts as "does not load"); else keep a previous
// source build that loads and is not older than the sources; else build from source with
// cmake-js. Installs the OpenBLAS/LAPACKE headers with apt when they are missing and we can
// (root + apt-get), else stops with the one command that fixes it.
'use strict';
const { execSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const APT = 'apt-get install -y --no-install-recommends libopenblas-dev liblapacke-dev';
const run = (cmd) => spawnSync(cmd, { cwd: root, stdio: 'inherit', shell: true }).status === 0;

/** Whether node-gyp-build finds a binary that loads; prebuildsOnly ignores build/. */
function binaryLoads(prebuildsOnly) {
  const env = { ...process.env };
  if (prebuildsOnly) env.PREBUILDS_ONLY = '1';
  else delete env.PREBUILDS_ONLY;
  const r = spawnSync(process.execPath, ['-e', `require('node-gyp-build')(${JSON.stringify(root)})`],
    { cwd: root, stdio: 'ignore', env });
  return r.status === 0;
}

function headersPresent() {
  const dirs = ['/usr/include', '/usr/include/x86_64-linux-gnu', '/usr/include/aarch64-linux-gnu',
    '/usr/include/openblas', '/usr/local/include'];
  const has = (f) => dirs.some((d) => fs.existsSync(path.join(d, f)));
  return has('cblas.h') && has('lapacke.h');
}

function canApt() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return false;
  try { execSync('command -v apt-get', { stdio: 'ignore' }); return true; } catch { return false; }
}

/**
 * cmake-js's CLI, found the way Node finds modules: as a dependency of a project, npm may hoist
 * it to the project's node_modules (not ours), so no fixed path is right everywhere.
 */
function cmakeJs() {
  const pkg = require.resolve('cmake-js/package.json', { paths: [root] });
  const { bin } = JSON.parse(fs.readFileSync(pkg, 'utf8'));
  return path.resolve(path.dirname(pkg), typeof bin === 'string' ? bin : bin['cmake-js']);
}

function buildFromSource() {
  if (!headersPresent()) {
    if (!canApt()) {
      console.error(`mxne: no prebuilt binary loads here and the OpenBLAS/LAPACKE headers are missing; install them with: sudo ${APT}`);
      process.exit(1);
    }
    console.log(`mxne: installing OpenBLAS and LAPACKE with: apt-get update && ${APT}`);
    if (!run('apt-get update') || !run(APT)) {
      console.error(`mxne: apt-get failed; run: sudo apt-get update && sudo ${APT}`);
      process.exit(1);
    }
  }
  const r = spawnSync(process.execPath, [cmakeJs(), 'rebuild'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}

/**
 * Whether build/Release/mxne.node was built from the sources as they are: none of binding/ or
 * CMakeLists.txt is newer than it. A clone pulled after a native change would otherwise keep its
 * old build, which loads but lacks the new exports.
 */
function sourceBuildCurrent() {
  const built = path.join(root, 'build', 'Release', 'mxne.node');
  if (!fs.existsSync(built)) return false;
  const sources = [path.join(root, 'CMakeLists.txt'), ...fs.readdirSync(path.join(root, 'binding')).map((f) => path.join(root, 'binding', f))];
  const newest = Math.max(...sources.map((f) => fs.statSync(f).mtimeMs));
  return fs.statSync(built).mtimeMs >= newest;
}

if (process.env.MXNE_SKIP_BUILD !== '1' && !binaryLoads(true) && !(sourceBuildCurrent() && binaryLoads(false))) buildFromSource();
