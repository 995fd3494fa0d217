/** `mxne doctor`: the report a user pastes into a bug report. */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const MAIN = path.resolve(__dirname, '../../lib/cli/main.js');

describe('mxne doctor', () => {
  it('reports the CPU, OpenBLAS, the kernel set and why, a passing self-check and a GEMM rate', () => {
    const r = JSON.parse(execFileSync(process.execPath, [MAIN, 'doctor', '--json'], { encoding: 'utf8' }));
    assert.match(r.openblas, /^OpenBLAS \d/);
    assert.ok(r.kernels.length > 0 && r.reason.length > 0);
    assert.deepEqual(r.selfCheck, []);
    assert.ok(r.gemmGflops > 0 && Number.isFinite(r.gemmGflops));
    assert.ok(Number.isInteger(r.blasThreads) && r.blasThreads >= 1);
  });

  it('says when OPENBLAS_CORETYPE is set by the user', () => {
    const out = execFileSync(process.execPath, [MAIN, 'doctor'], { encoding: 'utf8', env: { ...process.env, OPENBLAS_CORETYPE: 'Prescott' } });
    assert.match(out, /kernels {6}Prescott: OPENBLAS_CORETYPE=Prescott is set in the environment/);
  });
});
