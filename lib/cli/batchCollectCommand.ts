/** `mxne batch-collect DIR`: merges the tables of the shards of a batch, says what is missing or failed. */
import { Command } from 'commander';

export function batchCollectCommand(): Command {
  return new Command('batch-collect')
    .description('Merge the summaries and dipole tables of the shards of mxne batch in DIR; list missing and failed rows')
    .argument('<dir>', 'the --out folder the shards wrote into')
    .option('--json', 'print the merged counts, missing and failed rows as JSON')
    .action(async (dir: string, o: { json?: boolean }) => {
      const { collectBatch } = await import('../batch/collect.js');
      const { summary, failed, missing } = await collectBatch(dir);
      const c = summary.counts;
      if (o.json) process.stdout.write(`${JSON.stringify({ counts: c, missing, failed: failed.map((r) => ({ id: r.id, row: r.row, error: r.error })), collectedFrom: summary.collectedFrom }, null, 2)}\n`);
      else {
        process.stdout.write(`${summary.manifest.ids.length} rows in the manifest: ${c.solved + c.skipped} done, ${c.failed} failed, ${missing.length} missing (from ${summary.collectedFrom.join(', ')})\n`);
        for (const r of failed) process.stdout.write(`  failed: ${r.id} (row ${r.row}): ${r.error}\n`);
        if (missing.length > 0) process.stdout.write(`  missing: ${missing.join(', ')}\n`);
      }
      if (failed.length > 0 || missing.length > 0) throw new Error(`batch incomplete: ${failed.length} failed, ${missing.length} missing (tables merged anyway)`);
    });
}
