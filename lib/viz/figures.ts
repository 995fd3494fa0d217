/**
 * Every figure of a solve, as the seed example draws them: dipole amplitudes, evoked and residual
 * butterflies per channel type, the glass brain, and the MRI orthoviews (through each dipole and,
 * first, through the strongest one). SVG from vega-lite, PNG from pngjs; rendered one after the
 * other in this thread (vega is single-threaded JavaScript: interleaving them gains nothing), or
 * all queued at once to a worker thread (figureThread.ts) when a `FigureDrawing` is given.
 */
import { awaitedLater } from '../awaitedLater.js';
import type { MghVolume } from '../io/freesurfer/readMgh.js';
import type { Affine } from '../linalg/affine.js';
import { Matrix } from '../linalg/matrix.js';
import type { Evoked } from '../records/evoked.js';
import type { SourceSpace } from '../records/sourceSpace.js';
import type { DipoleSummary } from '../workflow/summary.js';
import { butterflySpec, butterflyTypes } from './butterfly.js';
import { dipoleAmplitudesSpec, dipoleLabel } from './dipoleAmplitudes.js';
import { glassBrainSpec, type GlassDipole } from './glassBrain.js';
import { headToSurfaceRas, headToSurfaceRasDirection, intensityWindow, orthoviewPng } from './mriSlices.js';
import { dipoleRgb } from './palette.js';
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from './renderSvg.js';

export interface Figure {
  /** File-name-safe identifier, e.g. 'butterfly-residual-grad'. */
  id: string;
  title: string;
  format: 'svg' | 'png';
  content: string | Buffer;
  caption?: string;
}

export interface FigureInput {
  times: number[];
  dipoles: DipoleSummary[];
  evoked: Evoked | null;
  residual: Evoked | null;
  /** Source spaces with positions in head coordinates (as the forward holds them). */
  src: SourceSpace[];
  /** MRI → head (m), row-major 4 × 4. */
  mriHeadT: Affine;
  /** The subject's T1 (FreeSurfer `mri/T1.mgz`), or null when no subjects folder was given. */
  t1: MghVolume | null;
  /** After a morph: the target subject's white-surface points and the morphed sources (m, its surface RAS). */
  morphed?: { subject: string; points: Matrix; dipoles: GlassDipole[] } | null;
}

/** A figure whose content is still being drawn. */
export interface PendingFigure extends Omit<Figure, 'content'> {
  content: Promise<string>;
}

/** Figures drawn by `render` (e.g. FigureThread's), all queued at once. */
export interface FigureDrawing {
  render: (spec: TopLevelSpec) => Promise<string>;
  /** The input evoked's butterflies, started early (before the solve) with evokedButterflies and the same render. */
  evoked?: PendingFigure[];
}

type SvgFigure = { id: string; title: string; spec: TopLevelSpec };

function butterflies(name: 'evoked' | 'residual', evoked: Evoked): SvgFigure[] {
  const title = name === 'evoked' ? 'Evoked' : 'Residual';
  return butterflyTypes(evoked).map((type) => ({ id: `butterfly-${name}-${type}`, title: `${title}: ${type}`, spec: butterflySpec(evoked, type, title) }));
}

/** The evoked's butterflies, which need no solve: a run starts them while it solves. */
export function evokedButterflies(evoked: Evoked, render: FigureDrawing['render']): PendingFigure[] {
  return butterflies('evoked', evoked).map(({ id, title, spec }) => {
    const content = awaitedLater(render(spec)); // by makeFigures
    return { id, title, format: 'svg' as const, content };
  });
}

function usedPositions(src: SourceSpace[]): Matrix {
  const n = src.reduce((k, s) => k + s.nuse, 0);
  const out = new Matrix(n, 3);
  let i = 0;
  for (const s of src) for (const v of s.vertno) { for (let c = 0; c < 3; c++) out.set(i, c, s.rr.get(v, c)); i++; }
  return out;
}

/** The index of the dipole with the largest peak amplitude (MNE's idx='amplitude'). */
export function strongestDipole(dipoles: DipoleSummary[]): number {
  return dipoles.reduce((best, d, k) => (Math.abs(d.peakAmplitude) > Math.abs(dipoles[best].peakAmplitude) ? k : best), 0);
}

function orthoviews(input: FigureInput): Figure[] {
  const { t1, dipoles } = input;
  if (t1 === null || dipoles.length === 0) return [];
  const window = intensityWindow(t1);
  const strongest = strongestDipole(dipoles);
  return [strongest, ...dipoles.keys()].map((k, n) => {
    const d = dipoles[k];
    const peak = d.amplitude.reduce((b, a, t) => (Math.abs(a) > Math.abs(d.amplitude[b]) ? t : b), 0);
    const pos = headToSurfaceRas(input.mriHeadT, d.pos);
    const ori = headToSurfaceRasDirection(input.mriHeadT, d.ori[peak]);
    return {
      id: n === 0 ? 'mri-strongest' : `mri-dipole-${k}`,
      title: `${n === 0 ? 'Strongest dipole' : 'Dipole'} ${dipoleLabel(k, d)} on the MRI`,
      format: 'png' as const,
      content: orthoviewPng(t1, { pos, ori, color: dipoleRgb(k) }, window),
      caption: `Sagittal (anterior right), coronal and axial (right on the right) slices through surface RAS (${pos.map((x) => x.toFixed(1)).join(', ')}) mm; line: orientation at the peak (${(d.peakAmplitude * 1e9).toFixed(1)} nAm at ${(d.peakTime * 1e3).toFixed(1)} ms).`,
    };
  });
}

export async function makeFigures(input: FigureInput, drawing?: FigureDrawing): Promise<Figure[]> {
  const figures: Array<Figure | PendingFigure> = [];
  const svg = async ({ id, title, spec }: SvgFigure) => {
    if (drawing) figures.push({ id, title, format: 'svg', content: drawing.render(spec) });
    else figures.push({ id, title, format: 'svg', content: await renderSvg(spec) });
  };
  if (input.dipoles.length > 0) await svg({ id: 'dipole-amplitudes', title: 'Dipole amplitudes', spec: dipoleAmplitudesSpec(input.times, input.dipoles) });
  if (input.evoked !== null) {
    if (drawing?.evoked) figures.push(...drawing.evoked);
    else for (const f of butterflies('evoked', input.evoked)) await svg(f);
  }
  if (input.residual !== null) for (const f of butterflies('residual', input.residual)) await svg(f);
  if (input.src.length > 0) await svg({ id: 'glass-brain', title: 'Glass brain', spec: glassBrainSpec(usedPositions(input.src), input.dipoles) });
  const m = input.morphed;
  if (m) await svg({ id: `glass-brain-${m.subject}`, title: `Glass brain on ${m.subject} (morphed)`, spec: glassBrainSpec(m.points, m.dipoles, `Active sources morphed to ${m.subject}`) });
  figures.push(...orthoviews(input));
  return Promise.all(figures.map(async (f) => ({ ...f, content: await f.content })));
}
