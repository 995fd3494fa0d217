/** The worker of FigureThread (piscina): renders one Vega-Lite spec per task. */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from './renderSvg.js';

export default function render(spec: TopLevelSpec): Promise<string> {
  return renderSvg(spec);
}
