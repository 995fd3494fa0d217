/**
 * `npm run accuracy:variants`: the `--auto discrepancy` settings the study chose between
 * (mixedNorm's `discrepancy` option: tau, modelError, prune, relocate, merge, mergeMisfit), each on the same first
 * cases of the study (same seeds as `npm run accuracy`; mxne only), as a markdown table.
 *
 *   --cases N      the study's cases 0…N−1 (default 30: 10 per head)
 *   --ids 3,17,…   these cases of the study instead (e.g. the ones with spurious dipoles in bench/accuracy-results.json)
 *   --only a,b     only these variants (names below)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../../lib/native.js';
import type { MixedNormOptions } from '../../lib/sparse/mixedNormOptions.js';
import { autoMixedNorm } from '../../lib/workflow/autoSolve.js';
import { fixtureHead, sphereHead, type Head } from './heads.js';
import { estimated } from './methods.js';
import { scoreCase } from './score.js';
import { simulateCase } from './simulate.js';

const VARIANTS: Record<string, MixedNormOptions['discrepancy']> = {
  'merge, misfit 0.07 (default)': {},
  'merge test alone (misfit 0)': { mergeMisfit: 0 },
  'merge + misfit 0.02': { mergeMisfit: 0.02 },
  'merge + misfit 0.05': { mergeMisfit: 0.05 },
  'merge + misfit 0.1': { mergeMisfit: 0.1 },
  'no merge (earlier default)': { merge: false },
  'no merge + level 0.001': { merge: false, level: 0.001 },
  'refit, no relocation': { relocate: false, merge: false },
  'residual 4σ': { prune: 'residual' },
  'no pruning': { prune: 'none' },
  'tau 1.1': { tau: 1.1 },
  'modelError 0.05': { modelError: 0.05 },
};

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const get = (k: string) => { const i = argv.indexOf(k); return i >= 0 ? argv[i + 1] : undefined; };
  const ids = get('--ids')?.split(',').map(Number) ?? Array.from({ length: Number(get('--cases') ?? 30) }, (_, i) => i);
  const nCases = ids.length;
  const names = get('--only')?.split(',') ?? Object.keys(VARIANTS);
  for (const n of names) if (!(n in VARIANTS)) throw new Error(`unknown variant "${n}" (${Object.keys(VARIANTS).join('; ')})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-variants-'));
  const heads: Head[] = [await sphereHead(dir)];
  const shared = process.env.MXNE_SHARED ? path.resolve(process.env.MXNE_SHARED) : path.resolve(packageRoot(), '..', 'shared');
  for (const name of ['surf', 'vol'] as const) {
    const h = await fixtureHead(name, path.join(shared, 'fixtures'));
    if (h !== null) heads.push(h);
  }
  const total = Object.fromEntries(names.map((n) => [n, { truth: 0, recovered: 0, spurious: 0, seconds: [] as number[] }]));
  for (const i of ids) {
    const h = heads[i % heads.length], s = simulateCase(h, i, 1000 + i);
    for (const n of names) {
      const t0 = performance.now();
      const r = await autoMixedNorm(s.evoked, h.forward, h.cov, { mixedNorm: { discrepancy: VARIANTS[n] } }, h.preparation);
      const sc = scoreCase(s.spec.sources, estimated(r)), t = total[n];
      t.seconds.push((performance.now() - t0) / 1000);
      t.truth += sc.sources.length;
      t.recovered += sc.sources.filter((x) => x.recovered).length;
      t.spurious += sc.spurious;
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`${nCases} cases (${heads.map((h) => h.name).join(', ')}), load ${os.loadavg().map((v) => v.toFixed(1)).join(' / ')}\n`);
  console.log('| variant | recovered | spurious per case | time per case, median s |\n| --- | ---: | ---: | ---: |');
  for (const n of names) {
    const t = total[n], sec = [...t.seconds].sort((a, b) => a - b);
    console.log(`| ${n} | ${t.recovered} / ${t.truth} (${((100 * t.recovered) / t.truth).toFixed(1)} %) | ${(t.spurious / nCases).toFixed(2)} | ${sec[Math.floor(sec.length / 2)].toFixed(2)} |`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
