/** MNE 1.3's _window_evoked: Hann half-windows of `size` seconds (int(size·sfreq) samples) at both ends. */
import { InputError } from '../../errors.js';
import type { Evoked } from '../../records/evoked.js';

/** numpy.hanning(M). */
function hanning(M: number): Float64Array {
  if (M < 1) return new Float64Array(0);
  if (M === 1) return Float64Array.of(1);
  return Float64Array.from({ length: M }, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (M - 1)));
}

export function windowEvoked(evoked: Evoked, size: number | readonly [number, number]): Evoked {
  const [l, r] = typeof size === 'number' ? [size, size] : size;
  const sfreq = evoked.info.sfreq, T = evoked.nTimes;
  const lsize = Math.trunc(l * sfreq), rsize = Math.trunc(r * sfreq);
  if (!(lsize >= 0 && rsize >= 0) || lsize + rsize > T) throw new InputError('window', `non-negative lengths of at most ${T} samples together`, `${lsize} + ${rsize} samples`);
  const w = new Float64Array(T).fill(1);
  w.set(hanning(2 * lsize).subarray(0, lsize), 0);
  w.set(hanning(2 * rsize).subarray(2 * rsize - rsize), T - rsize);
  const data = evoked.data.clone();
  for (let t = 0; t < T; t++) for (let i = 0; i < data.rows; i++) data.data[i + t * data.rows] *= w[t];
  return evoked.withData(data);
}
