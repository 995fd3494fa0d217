import * as assert from 'node:assert/strict';
import { InputError } from '../../lib/errors.js';
import { MIXED_NORM_DEFAULTS, normalizeMixedNormOptions, resolveLoose } from '../../lib/sparse/mixedNormOptions.js';
import { requireMne, runPythonJson } from '../helpers/python.js';

describe('sparse/mixedNormOptions', () => {
  it('resolves every default as MNE 1.3 mixed_norm does', () => {
    const s = normalizeMixedNormOptions();
    assert.deepEqual(s.alpha.kind, 'sure');
    assert.equal(s.loose, 'auto');
    assert.equal(s.depth, 0.8);
    assert.equal(s.maxit, 3000);
    assert.equal(s.tol, 1e-4);
    assert.equal(s.activeSetSize, 10);
    assert.equal(s.nMxneIter, 1);
    assert.equal(s.dgapFreq, 10);
    assert.equal(s.weightsMin, 0);
    if (s.alpha.kind === 'sure') {
      assert.equal(s.alpha.grid.length, 15);
      assert.equal(s.alpha.grid[0], 100);
      assert.equal(s.alpha.grid[14], 10);
    }
  });

  it("loose 'auto' is 0.2 only for a surface source space (MNE's src.kind == 'surface'), 1 for every other kind", () => {
    assert.equal(resolveLoose('auto', ['surf', 'surf']), 0.2);
    assert.equal(resolveLoose('auto', ['discrete']), 1);
    assert.equal(resolveLoose('auto', ['vol']), 1);
    assert.equal(resolveLoose('auto', ['surf', 'surf', 'vol']), 1);
    assert.equal(resolveLoose('auto', ['surf']), 1);
    assert.equal(resolveLoose(0.3, ['discrete']), 0.3);
  });

  it('rejects a misspelt option with a suggestion', () => {
    assert.throws(() => normalizeMixedNormOptions({ activeSetSise: 5 } as never),
      (e: unknown) => e instanceof InputError && /did you mean "activeSetSize"/.test(e.message));
    assert.throws(() => normalizeMixedNormOptions({ n_mxne_iter: 5 } as never),
      (e: unknown) => e instanceof InputError && /did you mean "nMxneIter"/.test(e.message));
  });

  it('rejects out-of-range values naming the field', () => {
    assert.throws(() => normalizeMixedNormOptions({ alpha: 100 }), { name: 'InputError', message: /for alpha but received 100/ });
    assert.throws(() => normalizeMixedNormOptions({ loose: 1.5 }), { name: 'InputError', message: /for loose/ });
    assert.throws(() => normalizeMixedNormOptions({ maxit: 0 }), { name: 'InputError', message: /for maxit/ });
    assert.throws(() => normalizeMixedNormOptions({ tol: Number.NaN }), { name: 'InputError', message: /for tol/ });
    assert.throws(() => normalizeMixedNormOptions({ alpha: 50, sureAlphaGrid: [50] }), { name: 'InputError', message: /sureAlphaGrid/ });
  });

  describe('defaults table against the installed MNE', function () {
    requireMne(this);
    it('matches inspect.signature(mne.inverse_sparse.mixed_norm)', () => {
      const py = runPythonJson<Record<string, unknown>>(`
import inspect, json, mne
sig = inspect.signature(mne.inverse_sparse.mixed_norm)
print(json.dumps({k: (v.default if not isinstance(v.default, (list, tuple)) else list(v.default)) for k, v in sig.parameters.items() if v.default is not inspect.Parameter.empty and k != 'verbose'}))`);
      const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      const ours = MIXED_NORM_DEFAULTS as unknown as Record<string, unknown>;
      const notOptions = ['returnResidual', 'returnAsDipoles'];  // mxne always returns both (same result shape)
      for (const [k, v] of Object.entries(py)) {
        const name = camel(k);
        if (notOptions.includes(name)) continue;
        assert.ok(name in ours, `MNE option ${k} has no mxne counterpart`);
        assert.deepEqual(ours[name], v, `default of ${k}`);
      }
    });
  });
});
