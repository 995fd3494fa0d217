/**
 * A subject's `surf/?h.white` (vertices numbered as its `sphere.reg`): where morphed sources are
 * drawn (the report's glass brain) and placed (result.json's `morph`, dipoles.csv). Many subjects
 * folders hold only the registration surfaces (../shared/subjects' fsaverage_ds): then the file
 * that is missing, for the caller to say what it leaves out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSurface, type Surface } from '../io/freesurfer/surface.js';
import { Matrix } from '../linalg/matrix.js';

export type WhiteSurfaces = { lh: Surface; rh: Surface; missing: null } | { missing: string };

export async function readWhiteSurfaces(subjectsDir: string, subject: string, field: string): Promise<WhiteSurfaces> {
  const [lh, rh] = ['lh', 'rh'].map((h) => path.join(subjectsDir, subject, 'surf', `${h}.white`));
  const missing = [lh, rh].find((f) => !fs.existsSync(f));
  if (missing) return { missing };
  const [l, r] = await Promise.all([readSurface(lh, field), readSurface(rh, field)]);
  return { lh: l, rh: r, missing: null };
}

/** Every vertex of both hemispheres (lh then rh), in m: the background of a glass brain. */
export function whitePoints(white: { lh: Surface; rh: Surface }): Matrix {
  const { lh, rh } = white;
  const points = new Matrix(lh.rr.rows + rh.rr.rows, 3);
  [lh, rh].forEach((s, h) => { for (let i = 0; i < s.rr.rows; i++) for (let c = 0; c < 3; c++) points.set(i + h * lh.rr.rows, c, s.rr.get(i, c) / 1e3); });
  return points;
}
