/**
 * The solvers on MNE's own solver inputs (fixtures README §5): same active set, objective E
 * within 1e-8 relative (§4.3), X within 1e-6 of the largest value (§4.3 amplitudes).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { readNpyMatrix } from '../../lib/io/npy.js';
import { iterativeMixedNormSolver } from '../../lib/sparse/iterativeMixedNormSolver.js';
import { mixedNormSolver } from '../../lib/sparse/mixedNormSolver.js';
import { assertClose, assertMatrixClose } from '../helpers/assert.js';
import { fixture, requireFixtures } from '../helpers/fixtures.js';

interface Run { call: string; X: { file: string }; active_set_columns: number[]; E: number[] }
interface Problem { G: { file: string }; M: { file: string }; n_orient: number; alpha: number; tol: number; maxit: number; active_set_size: number; dgap_freq: number; runs: Record<string, Run> }

const PROBLEMS = ['seed-rv-surf-small', 'seed-rv-surf', 'mxne-rv-surf-small', 'fixed-rv-surf-small'];

describe('L21 solvers on MNE solver problems (fixtures §5)', function () {
  requireFixtures(this);
  for (const name of PROBLEMS) {
    describe(name, () => {
      let p: Problem;
      before(() => { p = JSON.parse(fs.readFileSync(fixture('solver', name, 'problem.json'), 'utf8')); });
      const runs = name === 'fixed-rv-surf-small' ? ['irmxne-cd', 'irmxne-bcd', 'mxne-cd', 'mxne-bcd']
        : name === 'mxne-rv-surf-small' ? ['mxne', 'mxne-nodebias'] : ['irmxne', 'irmxne-nodebias', 'mxne', 'mxne-nodebias', 'mxne-noactiveset'];
      for (const run of runs) {
        it(run, async () => {
          const r = p.runs[run];
          const G = readNpyMatrix(fixture(p.G.file)), M = readNpyMatrix(fixture(p.M.file));
          const debias = !run.includes('nodebias') && !run.includes('noactiveset');
          const o = { maxit: p.maxit, tol: p.tol, activeSetSize: run.includes('noactiveset') ? null : p.active_set_size, debias, nOrient: p.n_orient, solver: run.endsWith('-cd') ? 'cd' as const : 'bcd' as const, dgapFreq: p.dgap_freq };
          const out = run.startsWith('irmxne') ? await iterativeMixedNormSolver(M, G, p.alpha, 10, o) : await mixedNormSolver(M, G, p.alpha, o);
          assert.deepEqual(Array.from(out.activeSet), r.active_set_columns, 'active set');
          if (!run.endsWith('-cd')) assertClose(out.E, r.E, 1e-8, 'E');
          assertMatrixClose(out.X, readNpyMatrix(fixture(r.X.file)), 1e-6, 'X');
        });
      }
    });
  }
});
