/**
 * The cohort's index page (`DIR/index.html`, a shard's `index.shard-i-of-n.html`): one row per
 * recording with its status, dipoles, explained variance, alpha and a link to its report.html
 * (one per condition folder for a row of several conditions), and after --morph-to the glass brain
 * of the cohort's dipoles on the target (cohortGlassBrain.ts). Self-contained like the reports:
 * inline style, no script, relative links, so the folder opens offline and can be moved whole.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { escapeHtml, figureHtml, REPORT_CSS } from '../report/reportHtml.js';
import type { CohortFigure } from './cohortGlassBrain.js';
import type { BatchSummary, RowRecord } from './tables.js';

const INDEX_CSS = `${REPORT_CSS}
tr.failed td{background:#fbeaea}tr.missing td{color:#888}td.status{font-weight:600}`;

/** The reports of a row's folder, relative to `out`: `<id>/report.html`, or `<id>/condition-k/report.html` for each condition. */
export function rowReports(out: string, id: string): string[] {
  const dir = path.join(out, id);
  if (fs.existsSync(path.join(dir, 'report.html'))) return [`${id}/report.html`];
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return entries.filter((e) => /^condition-\d+$/.test(e) && fs.existsSync(path.join(dir, e, 'report.html')))
    .sort((a, b) => Number(a.slice(10)) - Number(b.slice(10)))
    .map((e) => `${id}/${e}/report.html`);
}

const num = (x: number | null, digits: number) => (x === null ? '' : x.toFixed(digits));

function rowHtml(out: string, r: RowRecord): string {
  const reports = r.status === 'failed' ? [] : rowReports(out, r.id);
  const links = reports.map((f) => `<a href="${escapeHtml(encodeURI(f))}">${reports.length > 1 ? escapeHtml(f.split('/')[1]) : 'report'}</a>`).join(' ');
  const converged = r.converged === null ? '' : r.converged ? 'yes' : '<span class="warn">NO</span>';
  return `<tr class="${r.status}"><td><code>${escapeHtml(r.id)}</code></td><td>${escapeHtml(String(r.condition))}</td><td class="status">${r.status}</td>`
    + `<td class="n">${r.dipoles ?? ''}</td><td class="n">${num(r.explainedVariance, 1)}</td><td class="n">${r.alpha === null ? '' : escapeHtml(Number(r.alpha.toPrecision(4)).toString())}</td>`
    + `<td>${converged}</td><td class="n">${num(r.seconds, 1)}</td><td>${links}</td><td>${r.error === null ? '' : `<span class="warn">${escapeHtml(`${r.errorCode ?? ''}: ${r.error}`)}</span>`}</td></tr>`;
}

/** The page for a run's (or the collected) summary; `missing` are manifest ids no run finished (batch-collect). */
export function indexHtml(out: string, summary: BatchSummary, tables: { summaryCsv: string; dipolesCsv: string }, missing: string[] = [], cohort: CohortFigure = { svg: null, note: null }): string {
  const c = summary.counts;
  const shard = summary.shard ? `, shard ${summary.shard.index} of ${summary.shard.count}` : '';
  const counts = `${summary.rows.length} recordings${shard}: ${c.solved} solved, ${c.skipped} done before, ${c.failed} failed${missing.length ? `, ${missing.length} missing` : ''}`;
  const header = '<tr><th>id</th><th>condition</th><th>status</th><th>dipoles</th><th>explained variance (%)</th><th>alpha</th><th>converged</th><th>time (s)</th><th>report</th><th>error</th></tr>';
  const missingRows = missing.map((id) => `<tr class="missing"><td><code>${escapeHtml(id)}</code></td><td></td><td class="status">missing</td><td colspan="7">no run of this manifest row finished</td></tr>`);
  const link = (f: string) => `<a href="${escapeHtml(encodeURI(path.basename(f)))}">${escapeHtml(path.basename(f))}</a>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mxne batch: ${escapeHtml(path.basename(summary.manifest.file))}</title><link rel="icon" href="data:,"><style>${INDEX_CSS}</style></head>
<body>
<h1>mxne batch: ${escapeHtml(path.basename(summary.manifest.file))}</h1>
<p id="counts">${escapeHtml(counts)}.</p>
<p>Manifest <code>${escapeHtml(summary.manifest.file)}</code>; tables: ${link(tables.summaryCsv)}, ${link(tables.dipolesCsv)} (one row per dipole).</p>
<table id="recordings">${header}${summary.rows.map((r) => rowHtml(out, r)).join('')}${missingRows.join('')}</table>
${cohort.svg === null ? '' : figureHtml({ id: 'cohort-glass-brain', title: 'The cohort\'s dipoles in one space', format: 'svg', content: cohort.svg })}${cohort.note === null ? '' : `<p>${escapeHtml(cohort.note)}</p>`}
</body></html>
`;
}
