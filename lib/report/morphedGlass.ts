/**
 * The glass brain after morphing (issue 11: "for the subject and, after morphing, for
 * fsaverage"): the morphed estimate (`mxne-<subject>-lh/rh.stc` of the run) drawn on the target
 * subject's `surf/?h.white`, whose vertices are numbered as its `sphere.reg`'s. Without those
 * surfaces there is nothing brain-shaped to draw on, and the report says so.
 */
import * as path from 'node:path';
import { readStc } from '../io/stc.js';
import { Matrix } from '../linalg/matrix.js';
import { readWhiteSurfaces, whitePoints } from '../morph/whiteSurfaces.js';
import type { GlassDipole } from '../viz/glassBrain.js';

export interface MorphedGlass { subject: string; points: Matrix; dipoles: GlassDipole[] }

/** Reads the run's morphed estimate in `dir` and the target's white surfaces; a note instead when they are missing. */
export async function readMorphedGlass(dir: string, subjectsDir: string | null | undefined, subject: string | null | undefined): Promise<{ glass: MorphedGlass | null; note: string | null }> {
  if (!subjectsDir || !subject) return { glass: null, note: null };
  const white = await readWhiteSurfaces(subjectsDir, subject, 'subjectsDir');
  if (white.missing !== null) return { glass: null, note: `No glass brain on ${subject}: ${white.missing} does not exist.` };
  const { lh, rh } = white;
  const stc = await readStc(path.join(dir, `mxne-${subject}-lh.stc`), subject);
  const points = whitePoints(white);
  const dipoles: GlassDipole[] = [];
  let row = 0;
  stc.vertices.forEach((verts, h) => {
    for (const v of verts) {
      const amp = Array.from(stc.data.row(row++));
      const s = h === 0 ? lh : rh;
      dipoles.push({ hemi: h === 0 ? 'lh' : 'rh', vertno: v, label: `${h === 0 ? 'lh' : 'rh'} ${v} on ${subject}`, pos: [0, 1, 2].map((c) => s.rr.get(v, c) / 1e3), peakAmplitude: amp.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0) });
    }
  });
  return { glass: { subject, points, dipoles }, note: null };
}
