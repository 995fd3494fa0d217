/**
 * report.html: one self-contained page (no request leaves it: figures as data URIs, three.js
 * bundled inline) with the run's summary, inputs and their hashes, options, the dipoles, the 3-D
 * view with its time slider, and every figure.
 */
import type { Figure } from '../viz/figures.js';
import { dipoleLabel } from '../viz/dipoleAmplitudes.js';
import type { SolveSummary } from '../workflow/summary.js';
import type { SceneData } from './sceneData.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON inside a <script> element: "<" escaped, so no string in it can close the element. */
function scriptJson(x: unknown): string {
  return JSON.stringify(x).replace(/</g, '\\u003c');
}

/** The pages' style (the report's; the batch index reuses it). */
export const REPORT_CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#222}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}table{border-collapse:collapse}
td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font:12px ui-monospace,monospace}pre{background:#f6f6f6;padding:8px;overflow:auto}figure{margin:18px 0}figcaption{font-weight:600;margin-bottom:4px}
figure p{margin:4px 0;color:#555;font-size:13px}figure img{max-width:100%}.warn{color:#a33}#view3d-canvas{border:1px solid #ddd;max-width:100%}
#figures figure{display:inline-block;vertical-align:top;margin-right:18px}.swatch{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:6px}`;

function rows(pairs: [string, string][]): string {
  return `<table>${pairs.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${v}</td></tr>`).join('')}</table>`;
}

export function figureHtml(f: Figure): string {
  const mime = f.format === 'svg' ? 'image/svg+xml' : 'image/png';
  const b64 = Buffer.from(f.content).toString('base64');
  // SVGs as images, not inline markup: vega names clip paths per chart, and several inline SVGs would share ids.
  return `<figure id="fig-${f.id}"><figcaption>${escapeHtml(f.title)}</figcaption><img alt="${escapeHtml(f.title)}" src="data:${mime};base64,${b64}">${f.caption ? `<p>${escapeHtml(f.caption)}</p>` : ''}</figure>`;
}

/** A number of result.json, which holds NaN as null (e.g. Gamma-MAP has no alpha_max and no dual gap). */
const known = (x: number | null): x is number => x !== null && Number.isFinite(x);

/** The rows that depend on the solver: MxNE and TF-MxNE take alpha in % of alpha_max and stop on a dual gap; Gamma-MAP's alpha is a noise variance. */
function solverRows(s: SolveSummary & { solver?: string }, fmt: (x: number, d?: number) => string): [string, string][] {
  const gammaMap = s.solver === 'gammamap';
  const name = gammaMap ? 'Gamma-MAP' : s.solver === 'tfmxne' ? 'TF-MxNE' : 'MxNE / irMxNE';
  const alpha = gammaMap ? `${fmt(s.alpha, 4)} (noise variance)` : `${fmt(s.alpha, 4)} % of alpha_max${s.sure ? ` (SURE, random state ${s.sure.randomState})` : ''}`;
  const gap = known(s.dualGap) ? `, dual gap ${fmt(s.dualGap, 4)}` : '';
  return [
    ['solver', name],
    ['alpha', alpha],
    ...(known(s.alphaMax) ? [['alpha_max', fmt(s.alphaMax, 6)] as [string, string]] : []),
    ['convergence', `${s.converged ? 'converged' : '<span class="warn">NOT converged</span>'}${gap}, ${s.nIterations} iterations`],
  ];
}

export function reportHtml(s: SolveSummary, figures: Figure[], scene: SceneData, viewerScript: string, extraFiles: string[] = [], notes: string[] = []): string {
  const fmt = (x: number, d = 3) => escapeHtml(Number(x.toPrecision(d)).toString());
  const summary = rows([
    ['dipoles', String(s.dipoles.length)],
    ['explained variance', `${s.explainedVariance.toFixed(2)} %`],
    ...solverRows(s, fmt),
    ['timings', Object.entries(s.timings).filter(([, v]) => known(v)).map(([k, v]) => `${escapeHtml(k)} ${fmt(v, 3)}`).join(', ')],
    ['mxne', `${escapeHtml(s.versions.mxne)} (Node ${escapeHtml(s.versions.node)}, OpenBLAS ${escapeHtml(s.versions.openblas)})`],
    ...(extraFiles.length ? [['also written', extraFiles.map((f) => `<code>${escapeHtml(f)}</code>`).join(', ')] as [string, string]] : []),
  ]);
  const warnings = s.warnings.length ? `<ul class="warn">${s.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : '';
  const inputs = `<table><tr><th>input</th><th>path</th><th>sha256</th></tr>${Object.entries(s.inputs).map(([k, r]) => `<tr><td>${escapeHtml(k)}</td><td><code>${escapeHtml(r.path)}</code></td><td><code>${escapeHtml(r.sha256)}</code></td></tr>`).join('')}</table>`;
  const dipoles = `<table id="dipole-table"><tr><th>dipole</th><th>hemi</th><th>vertex</th><th>position (mm, head)</th><th>peak (nAm)</th><th>peak time (ms)</th><th>GOF at peak (%)</th></tr>${s.dipoles.map((d, k) => {
    const peak = d.amplitude.reduce((b, a, t) => (Math.abs(a) > Math.abs(d.amplitude[b]) ? t : b), 0);
    return `<tr><td><span class="swatch" style="background:${scene.dipoles[k].colour}"></span>${escapeHtml(dipoleLabel(k, d))}</td><td>${d.hemi}</td><td class="n">${d.vertno}</td><td class="n">${d.pos.map((x) => (x * 1e3).toFixed(1)).join(', ')}</td><td class="n">${(d.peakAmplitude * 1e9).toFixed(2)}</td><td class="n">${(d.peakTime * 1e3).toFixed(1)}</td><td class="n">${d.gof[peak].toFixed(1)}</td></tr>`;
  }).join('')}</table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mxne report</title><link rel="icon" href="data:,"><style>${REPORT_CSS}</style></head>
<body>
<h1>mxne report</h1>
<section id="summary"><h2>Summary</h2>${summary}${warnings}</section>
<section id="inputs"><h2>Inputs</h2>${inputs}</section>
<section id="options"><h2>Options</h2><pre>${escapeHtml(JSON.stringify(s.options, null, 1))}</pre></section>
<section id="dipoles"><h2>Dipoles</h2>${dipoles}</section>
<section id="view3d"><h2>3-D view</h2><p>Source space surfaces (head coordinates); arrows: dipoles, length ∝ |amplitude| at the chosen time. Drag to turn, scroll to zoom.</p>
<canvas id="view3d-canvas" width="900" height="520"></canvas><div><input type="range" id="time-slider" min="0" max="0" step="1" style="width:600px"> <span id="time-label"></span></div></section>
<section id="figures"><h2>Figures</h2>${notes.map((n) => `<p>${escapeHtml(n)}</p>`).join('')}${figures.map(figureHtml).join('\n')}</section>
<script type="application/json" id="scene-data">${scriptJson(scene)}</script>
<script>${viewerScript}</script>
</body></html>
`;
}
