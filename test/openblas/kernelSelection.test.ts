/**
 * OpenBLAS kernel selection (lib/openblas): the decision on recorded /proc/cpuinfo records, the
 * self-check's failure path, and the selection taking effect in a real process.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { addon, blasSelection } from '../../lib/native.js';
import { chooseCoretype, featureCoretype } from '../../lib/openblas/coretype.js';
import { parseCpuinfo } from '../../lib/openblas/cpuinfo.js';
import { loadWithKernelSelection } from '../../lib/openblas/kernelSelection.js';
import { blasSelfCheck } from '../../lib/openblas/selfCheck.js';

const AVX2 = 'fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx avx2';
const AVX512 = `${AVX2} avx512f avx512dq avx512cd avx512bw avx512vl`;
const record = (vendor: string, family: number, model: number, flags: string, name = 'test CPU') =>
  `processor\t: 0\nvendor_id\t: ${vendor}\ncpu family\t: ${family}\nmodel\t\t: ${model}\nmodel name\t: ${name}\nflags\t\t: ${flags}\n\nprocessor\t: 1\n`;

/** This process's environment less the settings that turn the selection off (the suite may run under them). */
function withoutSelectionSettings(): NodeJS.ProcessEnv {
  const { MXNE_BLAS_CORETYPE: _keep, OPENBLAS_CORETYPE: _set, ...env } = process.env;
  return env;
}

describe('OpenBLAS kernel selection', () => {
  // [cpuinfo record, what OpenBLAS 0.3.21 picks by itself (openblas_get_corename), what mxne sets]
  const table: [string, string, string, string | null][] = [
    ['Xeon family 6 model 207 (Emerald Rapids), AVX-512', record('GenuineIntel', 6, 207, AVX512), 'Prescott', 'SkylakeX'],
    ['Core family 6 model 183 (Raptor Lake), AVX2 only', record('GenuineIntel', 6, 183, AVX2), 'Prescott', 'Haswell'],
    ['Xeon family 6 model 85 (Skylake-SP), AVX-512', record('GenuineIntel', 6, 85, AVX512), 'SkylakeX', null],
    ['Xeon family 6 model 143 (Sapphire Rapids), AVX-512', record('GenuineIntel', 6, 143, AVX512), 'SkylakeX', null],
    ['Core family 6 model 170 (Meteor Lake), AVX2: feature fallback', record('GenuineIntel', 6, 170, AVX2), 'Haswell', null],
    ['EPYC family 25 model 1 (Zen 3), AVX2', record('AuthenticAMD', 25, 1, AVX2), 'Zen', null],
    ['EPYC family 23 model 49 (Zen 2), AVX2', record('AuthenticAMD', 23, 49, AVX2), 'Zen', null],
    ['an old Intel family 6 model 191 without AVX', record('GenuineIntel', 6, 191, 'fpu sse sse2 ssse3 sse4_1 sse4_2'), 'Prescott', null],
  ];
  for (const [what, text, openblasPicks, want] of table) {
    it(`${what}: OpenBLAS alone runs ${openblasPicks}, mxne sets ${want ?? 'nothing'}`, () => {
      const choice = chooseCoretype({}, parseCpuinfo(text));
      assert.equal(choice.set, want, choice.reason);
      if (openblasPicks === 'Prescott' && want) assert.match(choice.reason, /falls back to Prescott/);
    });
  }

  it('respects OPENBLAS_CORETYPE and MXNE_BLAS_CORETYPE=keep, and works without a cpuinfo', () => {
    const cpu = parseCpuinfo(record('GenuineIntel', 6, 207, AVX512));
    assert.deepEqual(chooseCoretype({ OPENBLAS_CORETYPE: 'Prescott' }, cpu), { set: null, reason: 'OPENBLAS_CORETYPE=Prescott is set in the environment' });
    assert.equal(chooseCoretype({ MXNE_BLAS_CORETYPE: 'keep' }, cpu).set, null);
    assert.match(chooseCoretype({ MXNE_BLAS_CORETYPE: 'keep' }, cpu).reason, /turned off/);
    assert.equal(chooseCoretype({}, null).set, null);
    assert.equal(parseCpuinfo('Processor\t: AArch64\nFeatures\t: fp asimd\n'), null);
  });

  it('asks for AVX-512 kernels only when all five AVX-512 subsets are present', () => {
    assert.equal(featureCoretype(parseCpuinfo(record('GenuineIntel', 6, 207, `${AVX2} avx512f avx512dq avx512cd avx512bw`))!), 'Haswell');
    assert.equal(featureCoretype(parseCpuinfo(record('GenuineIntel', 6, 207, AVX512))!), 'SkylakeX');
  });

  it('the self-check passes on the kernels in use and names the routine that fails', () => {
    assert.deepEqual(blasSelfCheck(addon), []);
    const broken = { ...addon, gemm: (...a: Parameters<typeof addon.gemm>) => { const C = addon.gemm(...a); C[3] += 1e-6; return C; } };
    const failures = blasSelfCheck(broken);
    assert.equal(failures.length, 2);
    assert.match(failures[0], /^dgemm: relative error/);
  });

  it('a selected kernel set that fails the self-check stops the load with what to set', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-cpuinfo-'));
    try {
      fs.writeFileSync(path.join(dir, 'cpuinfo'), record('GenuineIntel', 6, 183, AVX2));
      const wrongSyrk = { ...addon, gram: (...a: Parameters<typeof addon.gram>) => addon.gram(...a).fill(0) };
      // The process's own OPENBLAS_CORETYPE (a user's, or unset) survives a load with another env.
      const own = process.env.OPENBLAS_CORETYPE;
      process.env.OPENBLAS_CORETYPE = 'Prescott';
      try {
        assert.throws(() => loadWithKernelSelection(() => wrongSyrk, { MXNE_CPUINFO: path.join(dir, 'cpuinfo') }),
          /OpenBLAS's \w+ kernels, selected because OpenBLAS 0.3.21 falls back to Prescott.*fail mxne's numerical self-check \(dsyrk: relative error .*MXNE_BLAS_CORETYPE=keep/);
        assert.equal(process.env.OPENBLAS_CORETYPE, 'Prescott');
      } finally {
        if (own === undefined) delete process.env.OPENBLAS_CORETYPE;
        else process.env.OPENBLAS_CORETYPE = own;
      }
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('reports the kernel set in use with the reason', () => {
    assert.ok(blasSelection.corename.length > 0);
    assert.match(blasSelection.config, /^OpenBLAS \d+\.\d+/);
    assert.ok(blasSelection.choice.reason.length > 0);
  });

  it('in a real process: the selection takes effect and OPENBLAS_CORETYPE does not leak to children', function () {
    if (!/\bavx2\b/.test(fs.readFileSync('/proc/cpuinfo', 'utf8'))) this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-cpuinfo-'));
    try {
      // This machine's CPU recorded as one OpenBLAS 0.3.21 does not know (AVX2 only: runnable here).
      fs.writeFileSync(path.join(dir, 'cpuinfo'), record('GenuineIntel', 6, 183, AVX2));
      const native = require.resolve('../../lib/native.js');
      const out = execFileSync(process.execPath, ['-e', `const n = require(${JSON.stringify(native)});
        console.log(JSON.stringify({ sel: n.blasSelection, env: process.env.OPENBLAS_CORETYPE ?? null }))`],
      { env: { ...withoutSelectionSettings(), MXNE_CPUINFO: path.join(dir, 'cpuinfo') }, encoding: 'utf8' });
      const r = JSON.parse(out);
      assert.equal(r.sel.corename, 'Haswell');
      assert.equal(r.sel.choice.set, 'Haswell');
      assert.equal(r.sel.warning, null);
      assert.equal(r.env, null);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it("a pool's worker threads run the selected kernels (the pool loads OpenBLAS in the main thread first)", function () {
    if (!/\bavx2\b/.test(fs.readFileSync('/proc/cpuinfo', 'utf8'))) this.skip();
    this.timeout(60000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-cpuinfo-'));
    try {
      fs.writeFileSync(path.join(dir, 'cpuinfo'), record('GenuineIntel', 6, 183, AVX2));
      const lib = path.resolve(__dirname, '../../lib');
      const out = execFileSync(process.execPath, ['-e', `
        const { SolvePool } = require(${JSON.stringify(path.join(lib, 'pool/solvePool.js'))});
        const { generateDemo } = require(${JSON.stringify(path.join(lib, 'demo/index.js'))});
        (async () => {
          const d = await generateDemo({ outDir: ${JSON.stringify(path.join(dir, 'demo'))}, nSources: 100, seed: 1 });
          const pool = new SolvePool({ jobs: 1 });
          const s = await pool.run({ fwd: d.fwd, evoked: d.evoked, cov: d.cov, out: ${JSON.stringify(path.join(dir, 'out'))}, condition: 0,
            baseline: null, tmin: null, tmax: null, weights: 'none', mixedNorm: { alpha: 50 } });
          await pool.close();
          console.log(JSON.stringify(s.versions.blasKernels));
        })();`], { env: { ...withoutSelectionSettings(), MXNE_CPUINFO: path.join(dir, 'cpuinfo') }, encoding: 'utf8' });
      const kernels = JSON.parse(out.trim().split('\n').pop()!);
      assert.equal(kernels.corename, 'Haswell');
      assert.equal(kernels.warning, null);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });
});
