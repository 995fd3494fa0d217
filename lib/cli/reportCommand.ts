/** `mxne report DIR`: rebuilds report.html and figures/ of a result folder (after an upgrade, or a run with --no-report). */
import { Command } from 'commander';
import * as path from 'node:path';
import { addCommonFlags, reporterFor, type CommonFlags } from './solveCommand.js';

export function reportCommand(): Command {
  const cmd = new Command('report')
    .description('Rebuild report.html and figures/ of a result folder from its result.json and inputs')
    .argument('<dir>', 'result folder of mxne solve or mxne demo');
  addCommonFlags(cmd);
  return cmd.action(async (dir: string, o: CommonFlags) => {
    const reporter = reporterFor(o);
    reporter.stage('write', `report in ${dir}`);
    const { rebuildReport } = await import('../report/rebuildReport.js');
    const files = await rebuildReport(dir);
    reporter.done();
    reporter.print(`report: ${path.resolve(dir, 'report.html')} (${files.length - 1} figures)`);
    reporter.printJson({ report: path.resolve(dir, 'report.html'), files });
  });
}
