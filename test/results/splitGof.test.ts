import * as assert from 'node:assert/strict';
import { gemm } from '../../lib/linalg/blas.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { splitGof } from '../../lib/results/splitGof.js';
import { assertClose } from '../helpers/assert.js';
import { randn } from '../helpers/random.js';

describe('results: splitGof (MNE _split_gof)', function () {
  it('for one column: 100·(‖P M‖² − ‖P (M − g x)‖²)/‖M‖² per time, P the projector onto g', function () {
    const g = randn(20, 1, 1);
    const X = randn(1, 5, 2);
    const M = randn(20, 5, 3);
    const gof = splitGof(M, X, g);
    const gg = g.data.reduce((s, v) => s + v * v, 0);
    for (let t = 0; t < 5; t++) {
      const m = M.col(t);
      const gm = m.reduce((s, v, i) => s + v * g.data[i], 0);
      const gr = gm - gg * X.get(0, t);
      const mm = m.reduce((s, v) => s + v * v, 0);
      assertClose([gof.get(0, t)], [(100 * (gm * gm - gr * gr)) / gg / mm], 1e-12, `t=${t}`);
    }
  });

  it('sums over columns to the total explained power when the data lie in the gain span', function () {
    const G = randn(30, 4, 4);
    const X = randn(4, 6, 5);
    const M = gemm(G, X); // exact fit: residual 0, so the GOF shares add to 100 %
    const gof = splitGof(M, X, G);
    for (let t = 0; t < 6; t++) {
      let s = 0;
      for (let j = 0; j < 4; j++) s += gof.get(j, t);
      assertClose([s], [100], 1e-12, `t=${t}`);
    }
  });

  it('gives 0 where X is 0 or the data are silent, and an empty result without columns', function () {
    const G = randn(10, 2, 6);
    const X = Matrix.fromRows([[1, 0, 2], [0, 0, 1]]);
    const M = gemm(G, X);
    const gof = splitGof(M, X, G);
    assert.equal(gof.get(1, 0), 0);
    assert.deepEqual([gof.get(0, 1), gof.get(1, 1)], [0, 0]);
    assert.equal(splitGof(M, new Matrix(0, 3), new Matrix(10, 0)).rows, 0);
  });
});
