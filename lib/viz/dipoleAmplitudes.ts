/** Dipole amplitudes over time, one line per dipole (MNE's `plot_dipole_amplitudes`). */
import type { TopLevelSpec } from 'vega-lite';
import { dipoleColourScale } from './palette.js';
import { CHART_CONFIG, DATA_ORDER } from './renderSvg.js';

export interface AmplitudeDipole { hemi: string; vertno: number; amplitude: number[] }

/** Legend label of dipole k: its number, hemisphere and vertex, as in the report's table. */
export function dipoleLabel(k: number, d: { hemi: string; vertno: number }): string {
  return `#${k} ${d.hemi} ${d.vertno}`;
}

export function dipoleAmplitudesSpec(times: number[], dipoles: AmplitudeDipole[]): TopLevelSpec {
  const values = dipoles.flatMap((d, k) => d.amplitude.map((a, t) => ({ time: times[t], amplitude: a * 1e9, dipole: dipoleLabel(k, d) })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Dipole amplitudes', width: 560, height: 220, config: CHART_CONFIG,
    data: { values },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'time', type: 'quantitative', title: 'Time (s)', scale: { nice: false } },
      y: { field: 'amplitude', type: 'quantitative', title: 'Amplitude (nAm)' },
      order: DATA_ORDER,
      color: { field: 'dipole', type: 'nominal', title: 'Dipole', sort: null, scale: dipoleColourScale(dipoles.length) },
    },
  };
}
