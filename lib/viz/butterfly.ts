/**
 * Butterfly plots of an evoked response and of the residual, one panel per channel type, in the
 * units of MNE's `evoked.plot` (gradiometers fT/cm, magnetometers fT, EEG µV) and, by default,
 * with the seed example's y-limits (`ylim=dict(eeg=[-10, 10], grad=[-400, 400], mag=[-600, 600])`).
 * Bad channels are left out (the seed picks with exclude='bads').
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Evoked } from '../records/evoked.js';
import { CHART_CONFIG, DATA_ORDER } from './renderSvg.js';

export type ButterflyType = 'grad' | 'mag' | 'eeg';
export const BUTTERFLY_UNITS: Record<ButterflyType, { scale: number; unit: string; title: string }> = {
  grad: { scale: 1e13, unit: 'fT/cm', title: 'Gradiometers' },
  mag: { scale: 1e15, unit: 'fT', title: 'Magnetometers' },
  eeg: { scale: 1e6, unit: 'µV', title: 'EEG' },
};
export const SEED_YLIM: Record<ButterflyType, [number, number]> = { eeg: [-10, 10], grad: [-400, 400], mag: [-600, 600] };

/** The channel types of `evoked` that have good channels, in MNE's plotting order. */
export function butterflyTypes(evoked: Evoked): ButterflyType[] {
  const bads = new Set(evoked.info.bads);
  return (['grad', 'mag', 'eeg'] as const).filter((t) => evoked.info.chs.some((c) => c.type === t && !bads.has(c.name)));
}

export function butterflySpec(evoked: Evoked, type: ButterflyType, title: string, ylim: [number, number] = SEED_YLIM[type]): TopLevelSpec {
  const { scale, unit, title: typeTitle } = BUTTERFLY_UNITS[type];
  const bads = new Set(evoked.info.bads);
  const times = evoked.times;
  const values: { t: number; v: number; ch: string }[] = [];
  evoked.info.chs.forEach((c, i) => {
    if (c.type !== type || bads.has(c.name)) return;
    for (let k = 0; k < times.length; k++) values.push({ t: times[k], v: evoked.data.get(i, k) * scale, ch: c.name });
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${title}: ${typeTitle} (${values.length / times.length} channels)`, width: 360, height: 160, config: CHART_CONFIG,
    data: { values },
    mark: { type: 'line', strokeWidth: 0.6, clip: true, opacity: 0.8 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'Time (s)', scale: { nice: false } },
      y: { field: 'v', type: 'quantitative', title: unit, scale: { domain: ylim } },
      detail: { field: 'ch', type: 'nominal' },
      order: DATA_ORDER,
      color: { value: type === 'eeg' ? '#222222' : type === 'grad' ? '#1f4e9c' : '#2a7f3f' },
    },
  };
}
