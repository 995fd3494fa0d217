/** An evoked response (average), as MNE's `Evoked`: data is nchan × ntimes in `info.chNames` order. */
import { InputError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import type { Info } from './info.js';

/**
 * How MNE holds an evoked file's time axis: `times = firstTime + arange(nsamp) / sfreq`, with
 * FIFF_FIRST_TIME a float32, so sample 120 of the fixtures sits at -3.2e-9 s, not 0. Cropping keeps
 * the origin, so times stay bit-identical to MNE's. Without it, times[k] = (first + k) / sfreq.
 */
export interface EvokedTiming {
  /** Time of the sample with index `originSample` (MNE's FIFF_FIRST_TIME as read). */
  originTime: number;
  originSample: number;
}

/** Python's round(): halves go to the even neighbour; never -0 (MNE rounds times to samples with it). */
export function pythonRound(x: number): number {
  const r = Math.round(x);
  return (Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r) + 0;
}

export class Evoked {
  constructor(
    readonly info: Info,
    /** nchan × ntimes, SI units (T, T/m, V). */
    readonly data: Matrix,
    /** Index of the first sample relative to the trigger (MNE's `first`); times[k] = (first + k) / sfreq. */
    readonly first: number,
    readonly nave: number,
    readonly comment: string,
    readonly kind: 'average' | 'standard_error' = 'average',
    /** Exact time axis of a file as MNE reads it; null: times[k] = (first + k) / sfreq. */
    readonly timing: EvokedTiming | null = null,
    /** The baseline interval applied (MNE's `evoked.baseline`), or null. */
    readonly baseline: [number, number] | null = null,
  ) {
    if (data.rows !== info.nchan) throw new InputError('evoked.data', `${info.nchan} rows (one per channel)`, `${data.rows}`);
  }

  get nTimes(): number { return this.data.cols; }
  get tmin(): number { return this.timeAt(0); }
  get last(): number { return this.first + this.data.cols - 1; }
  get times(): Float64Array {
    const t = new Float64Array(this.data.cols);
    for (let k = 0; k < t.length; k++) t[k] = this.timeAt(k);
    return t;
  }

  private timeAt(k: number): number {
    const o = this.timing;
    return o === null ? (this.first + k) / this.info.sfreq : o.originTime + (this.first - o.originSample + k) / this.info.sfreq;
  }

  /** Same times, nave, comment and baseline with other data (and info): e.g. a residual. */
  withData(data: Matrix, info: Info = this.info): Evoked {
    return new Evoked(info, data, this.first, this.nave, this.comment, this.kind, this.timing, this.baseline);
  }

  /**
   * Keeps times in [tmin, tmax] with MNE's `_time_mask` rounding: limits snap to the nearest sample,
   * then widen by half a sample, so tmin = 0 keeps a sample at -3e-9 s. Returns a new Evoked.
   */
  crop(tmin: number | null = null, tmax: number | null = null): Evoked {
    const sfreq = this.info.sfreq;
    const times = this.times;
    const lo = tmin === null ? times[0] : tmin;
    const hi = tmax === null ? times[times.length - 1] : tmax;
    const a = pythonRound(lo * sfreq) / sfreq - 0.5 / sfreq;
    const b = pythonRound(hi * sfreq) / sfreq + 0.5 / sfreq;
    let start = -1;
    let end = -1;
    for (let k = 0; k < times.length; k++) {
      if (times[k] >= a && times[k] <= b) {
        if (start < 0) start = k;
        end = k + 1;
      }
    }
    if (start < 0) throw new InputError('crop', `a time range overlapping [${times[0]}, ${times[times.length - 1]}] s`, `[${lo}, ${hi}]`);
    const data = new Matrix(this.data.rows, end - start, this.data.data.slice(start * this.data.rows, end * this.data.rows));
    return new Evoked(this.info, data, this.first + start, this.nave, this.comment, this.kind, this.timing, this.baseline);
  }

  /** Subtracts, per channel, the mean over [bmin, bmax] (null = the data's edge), as MNE's `rescale(mode='mean')`. */
  applyBaseline(baseline: [number | null, number | null]): Evoked {
    const times = this.times;
    const [t0, t1] = [times[0], times[times.length - 1]];
    const bmin = baseline[0] ?? t0;
    const bmax = baseline[1] ?? t1;
    // MNE's _check_baseline: a one-sample default baseline, reversed or out-of-data limits are errors.
    const tstep = 1 / this.info.sfreq;
    if (baseline[0] === null && baseline[1] === 0 && t0 === 0) throw new InputError('baseline', 'an interval of more than one sample (use [0, 0] if intended)', '[null, 0] with data starting at 0 s');
    if (bmin > bmax) throw new InputError('baseline', 'min ≤ max', `[${bmin}, ${bmax}]`);
    if (bmin < t0 - tstep || bmax > t1 + tstep) throw new InputError('baseline', `an interval inside the data [${t0}, ${t1}] s`, `[${bmin}, ${bmax}]`);
    const idx: number[] = [];
    for (let k = 0; k < times.length; k++) if (times[k] >= bmin && times[k] <= bmax) idx.push(k);
    if (idx.length === 0) throw new InputError('baseline', `an interval inside [${times[0]}, ${times[times.length - 1]}] s`, `[${bmin}, ${bmax}]`);
    const out = this.data.clone();
    subtractRowMeans(out, idx);
    return new Evoked(this.info, out, this.first, this.nave, this.comment, this.kind, this.timing, [bmin, bmax]);
  }
}

/**
 * Each row of A minus its mean over the columns `idx`, in place. Its own function: the loop inside
 * applyBaseline made V8 recompile that on every evoked read.
 */
function subtractRowMeans(A: Matrix, idx: number[]): void {
  const n = A.rows;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const k of idx) s += A.data[i + k * n];
    const mean = s / idx.length;
    for (let k = 0; k < A.cols; k++) A.data[i + k * n] -= mean;
  }
}
