/** MNE 1.3's `loose='auto'` for the sparse solvers: 0.2 when every source space is a cortical surface, 1 otherwise (volume, discrete). */
import type { SourceSpace } from '../records/sourceSpace.js';

export function autoLoose(src: readonly Pick<SourceSpace, 'type'>[]): number {
  return src.every((s) => s.type === 'surf') ? 0.2 : 1;
}
