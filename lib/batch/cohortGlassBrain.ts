/**
 * The cohort's dipoles in one space, for index.html: after --morph-to, every dipole of every row
 * at its position on the target subject (dipoles.csv's morphX/Y/Z), over the target's white
 * surfaces, coloured by condition and sized by peak amplitude (lib/viz's glass brain). Nothing to
 * draw without positions (no morph, or a target without ?h.white); a target whose surfaces cannot
 * be read gives a note, never a batch without its tables.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readWhiteSurfaces, whitePoints } from '../morph/whiteSurfaces.js';
import { glassBrainSpec, type GlassDipole } from '../viz/glassBrain.js';
import { renderSvg } from '../viz/renderSvg.js';
import type { SolveSummary } from '../workflow/summary.js';
import type { DipoleRow } from './tables.js';

export interface CohortFigure { svg: string | null; note: string | null }

/** The subjects folder the run's morph read (batch-collect is given none): from a morphed row's result.json. */
function subjectsDirOf(out: string, id: string): string | null {
  for (const file of [path.join(out, id, 'result.json'), path.join(out, id, 'condition-0', 'result.json')]) {
    try {
      const surface = (JSON.parse(fs.readFileSync(file, 'utf8')) as SolveSummary).morph?.surface;
      // <subjectsDir>/<subject>/surf/?h.white
      if (surface) return path.dirname(path.dirname(path.dirname(surface)));
    } catch { /* not this layout */ }
  }
  return null;
}

export async function cohortGlassBrain(out: string, dipoles: DipoleRow[]): Promise<CohortFigure> {
  const placed = dipoles.filter((d) => typeof d.morphX === 'number' && typeof d.morphY === 'number' && typeof d.morphZ === 'number');
  if (placed.length === 0) return { svg: null, note: null };
  const subject = String(placed[0].morphSubject);
  const subjectsDir = subjectsDirOf(out, placed[0].id);
  if (subjectsDir === null) return { svg: null, note: `No glass brain of the cohort: no result.json of ${placed[0].id} names the ${subject} surfaces.` };
  try {
    const white = await readWhiteSurfaces(subjectsDir, subject, 'morphTo ?h.white');
    if (white.missing !== null) return { svg: null, note: `No glass brain of the cohort: ${white.missing} does not exist.` };
    const active: GlassDipole[] = placed.map((d) => ({
      hemi: d.hemi, vertno: Number(d.morphVertex), pos: [d.morphX!, d.morphY!, d.morphZ!], peakAmplitude: d.peakAmplitude, label: `condition ${d.condition}`,
    }));
    const spec = glassBrainSpec(whitePoints(white), active, `${placed.length} dipoles of the cohort on ${subject}`, 'Condition');
    return { svg: await renderSvg(spec), note: null };
  } catch (e) {
    return { svg: null, note: `No glass brain of the cohort: ${(e as Error).message.split('\n')[0]}` };
  }
}
