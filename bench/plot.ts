/**
 * bench/scaling.svg and bench/scaling-times.svg, written by hand (no plotting dependency): pipeline
 * time vs number of sources or of time samples, mxne and MNE-Python, log–log axes, median with a
 * min–max bar per point, the MNE/mxne ratio printed above each point pair.
 */
export interface TimedPoint {
  mxne: { median: number; min: number; max: number };
  mne: { median: number; min: number; max: number } | null;
}

export interface ScalingPoint extends TimedPoint { nSources: number }
export interface SamplesPoint extends TimedPoint { nTimes: number }

/** What the x axis shows: the value of a point, the axis label and the unit in the tooltips. */
export interface XAxis<P extends TimedPoint> { x: (p: P) => number; label: string; unit: string }

export const SOURCES_AXIS: XAxis<ScalingPoint> = { x: (p) => p.nSources, label: 'sources in the forward (log)', unit: 'sources' };
export const SAMPLES_AXIS: XAxis<SamplesPoint> = { x: (p) => p.nTimes, label: 'time samples in the evoked (log)', unit: 'samples' };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push(v);
    }
  }
  return ticks;
}

const fmtTick = (v: number) => (v >= 1000 ? `${v / 1000}k` : v >= 1 ? String(v) : String(Number(v.toPrecision(2))));

export function scalingSvg(points: ScalingPoint[], title: string): string;
export function scalingSvg<P extends TimedPoint>(points: P[], title: string, axis: XAxis<P>): string;
export function scalingSvg<P extends TimedPoint>(points: P[], title: string, axis: XAxis<P> = SOURCES_AXIS as unknown as XAxis<P>): string {
  const W = 640, H = 420, L = 70, R = 20, T = 50, B = 60;
  const px = axis.x;
  const pts = [...points].sort((a, b) => px(a) - px(b));
  if (pts.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><text x="20" y="40">no scaling data</text></svg>\n`;
  const ys = pts.flatMap((p) => [p.mxne.min, p.mxne.max, ...(p.mne ? [p.mne.min, p.mne.max] : [])]).filter((v) => v > 0);
  const x0 = Math.min(...pts.map(px)) / 1.3, x1 = Math.max(...pts.map(px)) * 1.3;
  const y0 = Math.min(...ys) / 1.5, y1 = Math.max(...ys) * 1.5;
  const sx = (x: number) => L + ((Math.log(x) - Math.log(x0)) / (Math.log(x1) - Math.log(x0))) * (W - L - R);
  const sy = (y: number) => H - B - ((Math.log(y) - Math.log(y0)) / (Math.log(y1) - Math.log(y0))) * (H - T - B);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`,
  ];
  for (const t of niceTicks(x0, x1)) {
    out.push(`<line x1="${sx(t).toFixed(1)}" y1="${T}" x2="${sx(t).toFixed(1)}" y2="${H - B}" stroke="#eee"/>`,
      `<text x="${sx(t).toFixed(1)}" y="${H - B + 16}" text-anchor="middle">${fmtTick(t)}</text>`);
  }
  for (const t of niceTicks(y0, y1)) {
    out.push(`<line x1="${L}" y1="${sy(t).toFixed(1)}" x2="${W - R}" y2="${sy(t).toFixed(1)}" stroke="#eee"/>`,
      `<text x="${L - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${fmtTick(t)}</text>`);
  }
  out.push(`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#333"/>`,
    `<text x="${(L + W - R) / 2}" y="${H - 18}" text-anchor="middle">${esc(axis.label)}</text>`,
    `<text transform="translate(18 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">seconds, median and min–max (log)</text>`);
  const series = [
    { key: 'mne' as const, name: 'MNE-Python 1.3', color: '#d62728' },
    { key: 'mxne' as const, name: 'mxne', color: '#1f77b4' },
  ];
  series.forEach((s, k) => {
    const have = pts.filter((p) => p[s.key]);
    if (have.length === 0) return;
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${have.map((p) => `${sx(px(p)).toFixed(1)},${sy(p[s.key]!.median).toFixed(1)}`).join(' ')}"/>`);
    for (const p of have) {
      const v = p[s.key]!;
      const x = sx(px(p));
      out.push(`<line x1="${x.toFixed(1)}" y1="${sy(v.min).toFixed(1)}" x2="${x.toFixed(1)}" y2="${sy(v.max).toFixed(1)}" stroke="${s.color}"/>`,
        `<circle cx="${x.toFixed(1)}" cy="${sy(v.median).toFixed(1)}" r="4" fill="${s.color}"><title>${esc(`${s.name}, ${px(p)} ${axis.unit}: ${v.median.toFixed(3)} s`)}</title></circle>`);
    }
    out.push(`<rect x="${L + 12}" y="${T + 10 + 18 * k}" width="14" height="4" fill="${s.color}"/>`,
      `<text x="${L + 32}" y="${T + 16 + 18 * k}">${esc(s.name)}</text>`);
  });
  for (const p of pts) {
    if (!p.mne) continue;
    const top = Math.min(sy(p.mne.max), sy(p.mxne.max));
    out.push(`<text x="${sx(px(p)).toFixed(1)}" y="${(top - 8).toFixed(1)}" text-anchor="middle" fill="#555">${(p.mne.median / p.mxne.median).toFixed(1)}×</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
