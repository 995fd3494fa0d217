/**
 * `mxne report DIR`: the report of a finished run, rebuilt from its folder. result.json names the
 * inputs (forward, evoked) and the options (condition, baseline, crop, subjects folder); the
 * residual is the run's residual-ave.fif; inputs whose SHA-256 changed since the run are refused. The folder is replaced whole like a solve's (its files
 * copied into a staging folder with the new report), so a reader never sees half a report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors.js';
import { readEvoked } from '../io/fiff/readEvoked.js';
import { readForward } from '../io/fiff/readForward.js';
import { replaceFolder } from '../io/outputFolder.js';
import { readInputFile } from '../io/readInputFile.js';
import { affineOf } from '../linalg/affine.js';
import { sha256File } from '../workflow/sha256File.js';
import type { SolveSummary } from '../workflow/summary.js';
import type { SolveJob } from '../workflow/solveFiles.js';
import { readSubjectT1, writeReport } from './writeReport.js';

/** What a report writes; everything else in the folder is the run's and is kept. */
const REPORT_ENTRIES = new Set(['report.html', 'figures']);

export async function rebuildReport(dir: string): Promise<string[]> {
  const file = path.join(dir, 'result.json');
  let summary: SolveSummary;
  try {
    summary = JSON.parse((await readInputFile(file, 'DIR')).toString('utf8'));
  } catch (e) {
    if (e instanceof InputError) throw new InputError('DIR', 'a result folder of mxne solve or demo (with result.json)', dir, e.message);
    throw new InputError('DIR', 'a result folder with a readable result.json', file, (e as Error).message);
  }
  const o = summary.options as Partial<SolveJob>;
  // A report drawn from inputs that changed since the run would show another recording's data.
  for (const key of ['fwd', 'evoked'] as const) {
    const { path: input, sha256 } = summary.inputs[key];
    const now = await sha256File(input).catch((e: Error) => { throw new InputError('DIR', `the run's ${key} input named in result.json`, input, e.message); });
    if (now !== sha256) throw new InputError('DIR', `the run's ${key} input unchanged since the run (sha256 ${sha256.slice(0, 12)}…)`, `${input} with sha256 ${now.slice(0, 12)}…`);
  }
  const [forward, evoked] = await Promise.all([
    readForward(summary.inputs.fwd.path),
    readEvoked(summary.inputs.evoked.path, { condition: o.condition ?? 0, baseline: o.baseline ?? null }).then((e) => e.crop(o.tmin ?? null, o.tmax ?? null)),
  ]);
  const residualFile = path.join(dir, 'residual-ave.fif');
  const residual = fs.existsSync(residualFile) ? await readEvoked(residualFile) : null;
  const { t1, note } = await readSubjectT1(o.subjectsDir, o.subject ?? forward.src[0]?.subjectHisId ?? null);
  const kept = (await fs.promises.readdir(dir)).filter((e) => !REPORT_ENTRIES.has(e));
  return replaceFolder(dir, async (staging) => {
    for (const e of kept) await fs.promises.cp(path.join(dir, e), path.join(staging, e), { recursive: true });
    return writeReport(staging, {
      summary, evoked, residual, src: forward.src, mriHeadT: affineOf(forward.mriHeadT.trans), t1,
      extraFiles: kept.filter((e) => /^mxne-.+-(lh|rh)\.stc$/.test(e) && !/^mxne-(lh|rh)\.stc$/.test(e)), notes: note ? [note] : [],
      morphTo: o.morphTo, subjectsDir: o.subjectsDir,
    });
  }, 'DIR');
}
