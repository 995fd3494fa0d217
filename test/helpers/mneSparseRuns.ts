/**
 * MNE-Python's other sparse solvers run live on several variants in one Python process (each
 * variant's estimate and residual saved as .npy), and the comparison of an mxne result with one:
 * same vertices, estimate and residual within a tolerance of their largest (fixtures §4.3).
 */
import * as assert from 'node:assert/strict';
import { readNpyMatrix } from '../../lib/io/npy.js';
import type { Evoked } from '../../lib/records/evoked.js';
import type { SourceEstimate } from '../../lib/records/sourceEstimate.js';
import { assertClose } from './assert.js';
import { runPythonJson } from './python.js';

export interface MneSparseRun { vertices: number[][]; data: string; residual: string }

/**
 * `setup`: Python that reads the inputs; `loop`: a `for k, … in enumerate(…):` header; `call`: the
 * loop body's call that sets `stc` and `res` (indented by the caller's 4 spaces).
 */
export function runMneSparse(dir: string, setup: string, loop: string, call: string): MneSparseRun[] {
  return runPythonJson(`
import json, numpy as np, mne
mne.set_log_level('ERROR')
${setup}
out = []
${loop}
${call}
    f = ${JSON.stringify(dir)} + '/stc%d.npy' % k
    np.save(f, stc.data.reshape(-1, stc.data.shape[-1]))
    r = ${JSON.stringify(dir)} + '/res%d.npy' % k
    np.save(r, res.data)
    out.append(dict(vertices=[v.tolist() for v in stc.vertices], data=f, residual=r))
print(json.dumps(out))
`);
}

export function assertSameSparse(r: { stc: SourceEstimate; residual: Evoked }, mne: MneSparseRun, tol = 1e-6): void {
  assert.deepEqual(r.stc.vertices.map((x) => Array.from(x)), mne.vertices, 'vertices');
  assertClose(r.stc.data.toRows().flat(), readNpyMatrix(mne.data).toRows().flat(), tol, 'estimate');
  assertClose(r.residual.data.data, readNpyMatrix(mne.residual).data, tol, 'residual');
}
