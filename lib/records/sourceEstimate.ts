/** A source estimate, as MNE's SourceEstimate / VolSourceEstimate / VectorSourceEstimate. */
import type { Matrix } from '../linalg/matrix.js';

export interface SourceEstimate {
  /** 'surface': vertices = [lh, rh]; 'volume': vertices = [grid indices]. */
  kind: 'surface' | 'volume';
  /** True for a vector estimate: rows 3i, 3i+1, 3i+2 are x, y, z (head coordinates) of source i. */
  vector: boolean;
  vertices: Int32Array[];
  /** nSources × nTimes (or 3·nSources × nTimes when `vector`); sources ordered as `vertices` concatenated. */
  data: Matrix;
  tmin: number;
  tstep: number;
  subject: string | null;
}
