/**
 * `mxne batch MANIFEST --out DIR`: many recordings, on all cores (lib/pool), resumable, sliceable
 * across a cluster (--shard, or the Slurm / Kubernetes array environment). Per-row options are
 * the options of `mxne solve`; given here they are the defaults of every row.
 */
import * as path from 'node:path';
import { Command } from 'commander';
import type { Manifest } from '../batch/manifest.js';
import type { BatchDefaults } from '../batch/plan.js';
import { resolveShard, shardSuffix, takeShard, SHARDS_ENV } from '../batch/shard.js';
import { InputError } from '../errors.js';
import { addPictureFlags } from './pictureFlags.js';
import * as parse from './parsers.js';
import { addRecordingFlags, addSolverFlags } from './solverFlags.js';

interface BatchFlags {
  out?: string; jobs?: number; shard?: string; shards?: number; force?: boolean; json?: boolean; quiet?: boolean;
  bids?: string; dryRun?: boolean; threads?: number; timeout?: number;
}

export function batchCommand(): Command {
  const cmd = new Command('batch')
    .description('Solve every recording of a manifest (CSV or JSON lines) or a BIDS derivatives folder, on all cores; rerun to resume')
    .argument('[manifest]', 'CSV with a header (id, forward, evoked, covariance, optional subject, then mxne solve options) or JSON lines')
    .option('--out <dir>', 'output folder: DIR/<id>/ per recording, batch-summary.json/.csv, dipoles.csv, index.html', parse.once)
    .option('--bids <dir>', 'discover the recordings of a derivatives folder (sub-*/[ses-*/]meg/*_ave.fif)', parse.once)
    .option('--dry-run', 'print the manifest (the one --bids discovers) and stop')
    .option('--jobs <n>', 'worker threads, one BLAS thread each (default: the number of cores)', parse.positiveInteger)
    .option('--shard <i/n>', 'take slice i of n (0 ≤ i < n) by a hash of the row id; default from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX')
    .option('--shards <n>', `number of slices for JOB_COMPLETION_INDEX (or ${SHARDS_ENV})`, parse.positiveInteger)
    .option('--force', 'redo rows already done')
    .option('--json', 'one JSON line per finished row on stdout')
    .option('-q, --quiet', 'print nothing but errors');
  addRecordingFlags(cmd);
  addSolverFlags(cmd);
  // As for mxne solve: report.html per recording unless --no-report; --subject is the default of a manifest's `subject` column.
  addPictureFlags(cmd);
  // Run controls of a single solve: refused below with what to use instead, so not offered.
  for (const o of cmd.options) if (o.long === '--threads' || o.long === '--timeout') o.hideHelp();
  return cmd.action(async (manifestFile: string | undefined, o: BatchFlags & BatchDefaults) => {
    if (o.threads !== undefined) throw new InputError('--threads', '--jobs for mxne batch (each worker runs one BLAS thread)', `--threads ${o.threads}`);
    if (o.timeout !== undefined) throw new InputError('--timeout', 'no --timeout with mxne batch (a cluster job has its own limit)', `--timeout ${o.timeout}`);
    if ((manifestFile === undefined) === (o.bids === undefined)) throw new InputError('MANIFEST', 'a manifest file or --bids DIR (one of them)', manifestFile === undefined ? 'neither' : 'both');
    // Loaded here: the pool, the BIDS and CSV readers and the progress bars would add to every other command's start-up.
    const [{ discoverBids, manifestCsv }, { readManifest }, { checkMorphTarget, planRows }, { runBatch }, { tableFiles }, { BatchReporter }] = await Promise.all([
      import('../batch/bids.js'), import('../batch/manifest.js'), import('../batch/plan.js'), import('../batch/runBatch.js'), import('../batch/tables.js'), import('./batchReporter.js')]);
    const manifest: Manifest = o.bids !== undefined ? await discoverBids(o.bids) : await readManifest(manifestFile!);
    if (o.dryRun) {
      process.stdout.write(manifestCsv(manifest));
      return;
    }
    if (o.out === undefined) throw new InputError('--out', 'an output folder', 'none');
    const planned = planRows(manifest, o, o.out);
    const morphNote = checkMorphTarget(o);
    const shard = resolveShard(o);
    const rows = takeShard(planned, shard);
    const reporter = new BatchReporter({ json: !!o.json, quiet: !!o.quiet });
    if (morphNote !== null) reporter.note(morphNote);
    reporter.note(shard === null
      ? `all ${rows.length} rows of ${manifest.file}`
      : `shard ${shard.index} of ${shard.count} (from ${shard.source}): ${rows.length} of ${planned.length} rows`);
    const summary = await runBatch(rows, {
      out: o.out, jobs: o.jobs, force: o.force, shard,
      manifest: { file: manifest.file, ids: manifest.rows.map((r) => r.id) },
      onEvent: (e) => reporter.event(e),
    });
    reporter.done();
    const files = tableFiles(o.out, shardSuffix(shard));
    const c = summary.counts;
    reporter.note(`${c.solved} solved, ${c.skipped} skipped (done before), ${c.failed} failed in ${summary.seconds.toFixed(1)} s; ${path.resolve(files.summaryJson)}, ${path.resolve(files.index)}`);
    const failed = summary.rows.filter((r) => r.status === 'failed');
    // A plain Error: exit code 1 (a failure, not bad arguments), its one line naming each failed row.
    if (failed.length > 0) throw new Error(`${failed.length} of ${summary.rows.length} rows failed: ${failed.map((r) => `${r.id} (row ${r.row}): ${r.error}`).join('; ')}`);
  });
}
