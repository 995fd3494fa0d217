/**
 * Vega-Lite specs rendered to SVG strings in Node, with no browser and no canvas: vega-lite
 * compiles the spec, a headless vega View renders it. Both are ES modules, loaded once on first use.
 */
import type { TopLevelSpec } from 'vega-lite';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');
let modules: Promise<[Vega, VegaLite]> | null = null;

function load(): Promise<[Vega, VegaLite]> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]);
  return modules;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vl] = await load();
  // Clip-path ids count up across every chart a process draws: restarted per chart, a figure's
  // bytes depend on its spec alone (a batch row's figures equal mxne solve's). Each SVG is its
  // own document (an <img> in the report), so ids repeated across figures never meet.
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Shared look: white background, small fonts, no chart borders. No ARIA descriptions: vega would
 * format one per data point (a butterfly has ~40 000), which is most of its rendering time.
 */
export const CHART_CONFIG = { aria: false, background: 'white', font: 'sans-serif', view: { stroke: null }, axis: { labelFontSize: 10, titleFontSize: 11 }, legend: { labelFontSize: 10, titleFontSize: 11, labelLimit: 320 } } as const;

/**
 * `order: {value: null}`: draw lines in data order, as Vega-Lite documents for line marks (its
 * TypeScript types do not list the null). Our series are built in time order, and skipping the
 * sort per line halves a butterfly's rendering time.
 */
export const DATA_ORDER = { value: null } as unknown as { value: number };
