#!/usr/bin/env node
// npm install step: use a working prebuilt/previous binary, else build from source. Installs the
// OpenBLAS/LAPACKE headers with apt when they are missing and we can (root + apt-get), else stops
// with the one command that fixes it.
'use strict';
const { execSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const APT = 'apt-get install -y --no-install-recommends libopenblas-dev liblapacke-dev';
const run = (cmd) => spawnSync(cmd, { cwd: root, stdio: 'inherit', shell: true }).status === 0;

function binaryLoads() {
  const r = spawnSync(process.execPath, ['-e', `require('node-gyp-build')(${JSON.stringify(root)})`],
    { cwd: root, stdio: 'ignore' });
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

if (process.env.MXNE_SKIP_BUILD !== '1' && !binaryLoads()) {
  if (!headersPresent()) {
    if (!canApt()) {
      console.error(`mxne: OpenBLAS/LAPACKE headers not found; install them with: sudo ${APT}`);
      process.exit(1);
    }
    console.log(`mxne: installing OpenBLAS and LAPACKE with: apt-get update && ${APT}`);
    if (!run('apt-get update') || !run(APT)) {
      console.error(`mxne: apt-get failed; run: sudo apt-get update && sudo ${APT}`);
      process.exit(1);
    }
  }
  if (!run(`"${path.join(root, 'node_modules', '.bin', 'cmake-js')}" rebuild`)) process.exit(1);
}
