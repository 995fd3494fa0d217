/**
 * `mxne demo`: the main job on data mxne makes itself (spherical head, 306-channel-like helmet,
 * EEG, two-hemisphere cortex, three true dipoles), written as FIF and solved with the seed
 * workflow; prints how far each true source is from the nearest dipole found.
 */
import { Command } from 'commander';
import * as path from 'node:path';
import type { DemoSource } from '../demo/index.js';
import { solveFiles } from '../workflow/solveFiles.js';
import { jsonSummary, summaryLines, type SolveSummary } from '../workflow/summary.js';
import * as parse from './parsers.js';
import { addPictureFlags } from './pictureFlags.js';
import { applyLimits } from './runLimits.js';
import { addCommonFlags, reporterFor, type CommonFlags } from './solveCommand.js';
import { addSolverFlags, solverSettings, type SolverFlags } from './solverFlags.js';

export interface Localisation { truth: DemoSource; nearestDipole: number | null; errorMm: number | null }

export function localisation(truth: DemoSource[], summary: SolveSummary): Localisation[] {
  return truth.map((t) => {
    let best: number | null = null, dist = Infinity;
    summary.dipoles.forEach((d, k) => {
      const e = Math.hypot(d.pos[0] - t.pos[0], d.pos[1] - t.pos[1], d.pos[2] - t.pos[2]);
      if (e < dist) { dist = e; best = k; }
    });
    return { truth: t, nearestDipole: best, errorMm: best === null ? null : dist * 1000 };
  });
}

export function demoCommand(): Command {
  const cmd = new Command('demo')
    .description('Generate the built-in synthetic dataset, run the seed workflow on it and report localisation errors')
    .option('--out <dir>', 'output folder (data in DIR/data, results in DIR/result)', 'mxne-demo')
    .option('--n-sources <n>', 'cortical sources over both hemispheres', parse.integer, 2000)
    .option('--seed <n>', 'random seed of the simulation', parse.integer, 42);
  addSolverFlags(cmd);
  addPictureFlags(cmd, false);
  addCommonFlags(cmd);
  return cmd.action(async (o: SolverFlags & CommonFlags & { out: string; nSources: number; seed: number; report: boolean }) => {
    const reporter = reporterFor(o);
    const deadline = applyLimits(o, () => reporter.current);
    reporter.stage('simulate', `${o.nSources} sources`);
    const { generateDemo } = await import('../demo/index.js');
    const data = await generateDemo({ outDir: path.join(o.out, 'data'), nSources: o.nSources, seed: o.seed });
    const summary = await solveFiles({
      fwd: data.fwd, evoked: data.evoked, cov: data.cov, out: path.join(o.out, 'result'), condition: data.condition,
      baseline: [null, 0], tmin: 0, tmax: 0.3, ...solverSettings(o), report: o.report, subjectsDir: data.subjectsDir, subject: data.subject,
    }, (stage, detail) => {
      if (stage === 'write') deadline.disarm();
      reporter.stage(stage, detail);
    });
    reporter.done();
    const loc = localisation(data.truth, summary);
    for (const line of summaryLines(summary)) reporter.print(line);
    reporter.print('true source                      nearest dipole   error');
    for (const l of loc) {
      const t = l.truth;
      reporter.print(`${t.hemi} vertex ${String(t.vertno).padEnd(6)} peak ${(t.peakTime * 1000).toFixed(0)} ms ${(t.amplitude * 1e9).toFixed(1)} nAm   ${l.nearestDipole === null ? 'none'.padEnd(15) : `#${l.nearestDipole}`.padEnd(15)}  ${l.errorMm === null ? '—' : `${l.errorMm.toFixed(1)} mm`}`);
    }
    reporter.print(`results in ${path.resolve(o.out, 'result')}`);
    reporter.printJson({ ...jsonSummary(summary, path.join(o.out, 'result')), localisation: loc.map((l) => ({ truth: l.truth, nearestDipole: l.nearestDipole, errorMm: l.errorMm })) });
  });
}
