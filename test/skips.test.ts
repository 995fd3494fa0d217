/**
 * `npm test` explains its skips: without the shared fixtures, the run ends with one line naming the
 * skipped test files and how to get them (MXNE_SHARED). Checked on a child mocha run of one file.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { packageRoot } from '../lib/native.js';

describe('npm test explains its skips', function () {
  this.timeout(120_000);
  it('without fixtures: one line naming the skipped files, and MXNE_SHARED', () => {
    const root = packageRoot();
    const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--no-config', '--timeout', '60000',
      path.join(root, 'dist', 'test', 'prepare', 'prepareGain.test.js')], { cwd: root, encoding: 'utf8', env: { ...process.env, MXNE_SHARED: '/nonexistent-shared' } });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n').filter((l) => l.includes('[skipped]'));
    assert.deepEqual(lines, ['  [skipped] fixtures not found at /nonexistent-shared/fixtures: 1 test file(s) skipped (prepareGain). ' +
      'To run them, point MXNE_SHARED at the folder holding fixtures/ (MXNE_SHARED=/path/to/shared npm test); the default is ../shared.']);
  });
});
