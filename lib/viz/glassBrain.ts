/**
 * A glass brain: the source space seen from above, from the left and from behind, with the active
 * sources as dots sized by their peak amplitude (the 2-D form of MNE's
 * `plot_sparse_source_estimates`). Coordinates in mm of the frame the positions are given in.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Matrix } from '../linalg/matrix.js';
import { dipoleLabel } from './dipoleAmplitudes.js';
import { dipoleColourScale } from './palette.js';
import { CHART_CONFIG } from './renderSvg.js';

/** Enough points to show the shape; every source beyond that adds rendering time, not shape. */
const MAX_BACKGROUND = 800;

export interface GlassDipole {
  hemi: string; vertno: number; pos: number[]; peakAmplitude: number;
  /** Legend label; default `#k hemi vertex` as in the dipoles table. */
  label?: string;
}

const VIEWS = [
  { title: 'From above', x: 0, y: 1, xTitle: 'x: right (mm)', yTitle: 'y: anterior (mm)' },
  { title: 'From the left', x: 1, y: 2, xTitle: 'y: anterior (mm)', yTitle: 'z: superior (mm)', flipX: true },
  { title: 'From behind', x: 0, y: 2, xTitle: 'x: right (mm)', yTitle: 'z: superior (mm)' },
] as const;

/** `points`: n × 3 source positions (m); dipoles' `pos` in the same frame (m); dots coloured by label, under `legendTitle`. */
export function glassBrainSpec(points: Matrix, dipoles: GlassDipole[], title = 'Active sources', legendTitle = 'Dipole'): TopLevelSpec {
  const step = Math.max(1, Math.ceil(points.rows / MAX_BACKGROUND));
  const background: { p0: number; p1: number; p2: number }[] = [];
  for (let i = 0; i < points.rows; i += step) background.push({ p0: points.get(i, 0) * 1e3, p1: points.get(i, 1) * 1e3, p2: points.get(i, 2) * 1e3 });
  const active = dipoles.map((d, k) => ({ p0: d.pos[0] * 1e3, p1: d.pos[1] * 1e3, p2: d.pos[2] * 1e3, amp: Math.abs(d.peakAmplitude) * 1e9, dipole: d.label ?? dipoleLabel(k, d) }));
  const extent = (c: number) => {
    const v = [...background.map((b) => b[`p${c}` as 'p0']), ...active.map((a) => a[`p${c}` as 'p0'])];
    return [Math.floor(Math.min(...v) / 10) * 10 - 10, Math.ceil(Math.max(...v) / 10) * 10 + 10];
  };
  const domains = [0, 1, 2].map(extent);
  const px = (c: number) => (domains[c][1] - domains[c][0]) * 1.4;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title, config: CHART_CONFIG,
    hconcat: VIEWS.map((v) => ({
      title: v.title, width: px(v.x), height: px(v.y),
      layer: [
        { data: { values: background }, mark: { type: 'circle', size: 4, color: '#9aa3ad', opacity: 0.35 },
          encoding: { x: { field: `p${v.x}`, type: 'quantitative', title: v.xTitle, scale: { domain: domains[v.x], reverse: 'flipX' in v } }, y: { field: `p${v.y}`, type: 'quantitative', title: v.yTitle, scale: { domain: domains[v.y] } } } },
        { data: { values: active }, mark: { type: 'circle', opacity: 0.9, stroke: 'black', strokeWidth: 0.5 },
          encoding: {
            x: { field: `p${v.x}`, type: 'quantitative' }, y: { field: `p${v.y}`, type: 'quantitative' },
            size: { field: 'amp', type: 'quantitative', title: 'Peak (nAm)', scale: { range: [40, 400], zero: true } },
            color: { field: 'dipole', type: 'nominal', title: legendTitle, sort: null, scale: dipoleColourScale(active.length) },
          } },
      ],
    })),
  } as TopLevelSpec;
}
