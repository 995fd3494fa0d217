/** A forward solution, as MNE's `Forward` (the fields mxne uses). */
import type { Matrix } from '../linalg/matrix.js';
import type { Info, Transform } from './info.js';
import type { SourceSpace } from './sourceSpace.js';

export interface Forward {
  /** Gain: nchan × (nsource · nOrient), rows in `chNames` order, float32 on disk widened to float64. */
  sol: Matrix;
  chNames: string[];
  info: Info;
  src: SourceSpace[];
  /** FIFFV_MNE_FIXED_ORI (1) or FIFFV_MNE_FREE_ORI (2). */
  sourceOri: 1 | 2;
  /** True when the 3 columns of each source are (tangent, tangent, normal) rather than x, y, z. */
  surfOri: boolean;
  coordFrame: number;
  nsource: number;
  nchan: number;
  /** nsource × 3 positions (head coordinates as read). */
  sourceRr: Matrix;
  /** (nsource · nOrient) × 3 orientation of each gain column. */
  sourceNn: Matrix;
  mriHeadT: Transform;
}
