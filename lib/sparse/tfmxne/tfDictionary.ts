/**
 * The STFT (Gabor) dictionary of TF-MxNE: MNE 1.3's `stft`/`istft` (mne/time_frequency/_stft.py, a
 * tight frame with a sine window) and `_Phi`/`_PhiT` (one or several (wsize, tstep) dictionaries
 * side by side, each scaled by 1/sqrt(nDicts)). MNE applies them as dense matrices built from
 * stft(eye); here each frame goes through fft.js (radix-4, power-of-two sizes), O(T log wsize)
 * per row instead of O(T · nCoefs), with the same values to rounding.
 *
 * Coefficients of a row are stored as two Float64Arrays (real, imaginary) of `nCoefs` values: the
 * dictionaries one after the other, each laid out as MNE ravels (nFreqs × nSteps): index f·nSteps + t.
 */
import FFT from 'fft.js';
import { InputError } from '../../errors.js';
import { Matrix } from '../../linalg/matrix.js';

/** One (wsize, tstep) frame: windows, offsets and its FFT. */
class Frame {
  readonly nFreqs: number;
  readonly nSteps: number;
  readonly nCoefs: number;
  private readonly fft: FFT;
  /** Analysis window of step t: win / swin (MNE's stft), nSteps × wsize. */
  private readonly analysis: Float64Array;
  /** Synthesis window of step t: win / swin (MNE's istft), nSteps × wsize. */
  private readonly synthesis: Float64Array;
  private readonly buf: Float64Array;
  private readonly spec: Float64Array;
  private readonly out: Float64Array;

  constructor(readonly wsize: number, readonly tstep: number, readonly nTimes: number) {
    this.nFreqs = wsize / 2 + 1;
    this.nSteps = Math.ceil(nTimes / tstep);
    this.nCoefs = this.nFreqs * this.nSteps;
    this.fft = new FFT(wsize);
    const win = Float64Array.from({ length: wsize }, (_, k) => Math.sin(((k + 0.5) / wsize) * Math.PI));
    const len = (this.nSteps - 1) * tstep + wsize;
    const swin2 = new Float64Array(len);
    for (let t = 0; t < this.nSteps; t++) for (let k = 0; k < wsize; k++) swin2[t * tstep + k] += win[k] * win[k];
    this.analysis = new Float64Array(this.nSteps * wsize);
    this.synthesis = new Float64Array(this.nSteps * wsize);
    for (let t = 0; t < this.nSteps; t++) {
      for (let k = 0; k < wsize; k++) {
        const s = swin2[t * tstep + k];
        this.analysis[t * wsize + k] = win[k] / Math.sqrt(wsize * s);
        this.synthesis[t * wsize + k] = win[k] / Math.sqrt(s / wsize);
      }
    }
    this.buf = new Float64Array(wsize);
    this.spec = new Float64Array(2 * wsize);
    this.out = new Float64Array(2 * wsize);
  }

  /** STFT of x (nTimes values read with `stride`) × scale into re/im at `offset`. */
  analyse(x: Float64Array, x0: number, stride: number, scale: number, re: Float64Array, im: Float64Array, offset: number): void {
    const { wsize, tstep, nSteps, nFreqs, nTimes } = this;
    const pad = (wsize - tstep) / 2;
    for (let t = 0; t < nSteps; t++) {
      for (let k = 0; k < wsize; k++) {
        const n = t * tstep + k - pad;
        this.buf[k] = n >= 0 && n < nTimes ? x[x0 + n * stride] * this.analysis[t * wsize + k] : 0;
      }
      this.fft.realTransform(this.spec, this.buf);
      for (let f = 0; f < nFreqs; f++) {
        re[offset + f * nSteps + t] = this.spec[2 * f] * scale;
        im[offset + f * nSteps + t] = this.spec[2 * f + 1] * scale;
      }
    }
  }

  /** Adds scale × ISTFT of the coefficients at `offset` to x (nTimes values written with `stride`). */
  synthesise(re: Float64Array, im: Float64Array, offset: number, scale: number, x: Float64Array, x0: number, stride: number): void {
    const { wsize, tstep, nSteps, nFreqs, nTimes } = this;
    const pad = (wsize - tstep) / 2;
    const spec = this.spec;
    for (let t = 0; t < nSteps; t++) {
      // numpy's irfft: Hermitian spectrum, imaginary parts of the DC and Nyquist bins ignored.
      for (let f = 0; f < nFreqs; f++) {
        spec[2 * f] = re[offset + f * nSteps + t];
        spec[2 * f + 1] = f === 0 || f === nFreqs - 1 ? 0 : im[offset + f * nSteps + t];
      }
      for (let f = nFreqs; f < wsize; f++) {
        spec[2 * f] = spec[2 * (wsize - f)];
        spec[2 * f + 1] = -spec[2 * (wsize - f) + 1];
      }
      this.fft.inverseTransform(this.out, spec);
      for (let k = 0; k < wsize; k++) {
        const n = t * tstep + k - pad;
        if (n >= 0 && n < nTimes) x[x0 + n * stride] += this.out[2 * k] * this.synthesis[t * wsize + k] * scale;
      }
    }
  }
}

export class TfDictionary {
  readonly nCoefs: number;
  /** How often each coefficient counts in a norm: 2, except the DC and Nyquist bins (1), as MNE's stft_norm1/2. */
  readonly freqWeight: Float64Array;
  /** Coefficients of each dictionary: [start, end). */
  readonly ranges: Array<[number, number]>;
  private readonly frames: Frame[];
  private readonly scale: number;

  /** wsize/tstep: one entry per dictionary (MNE accepts a scalar or a list). */
  constructor(wsize: readonly number[], tstep: readonly number[], readonly nTimes: number) {
    if (wsize.length === 0 || wsize.length !== tstep.length) {
      throw new InputError('tstep', `as many steps as window sizes (${wsize.length})`, `${tstep.length}`);
    }
    wsize.forEach((w, d) => {
      // fft.js transforms powers of two only; MNE allows any multiple of 4.
      if (!Number.isInteger(w) || w < 4 || (w & (w - 1)) !== 0) throw new InputError(`wsize[${d}]`, 'a power of two ≥ 4', String(w));
      const s = tstep[d];
      if (!Number.isInteger(s) || s < 2 || s % 2 !== 0 || w % s !== 0 || s > w / 2) {
        throw new InputError(`tstep[${d}]`, `an even divisor of wsize (${w}) of at most wsize/2`, String(s));
      }
    });
    this.frames = wsize.map((w, d) => new Frame(w, tstep[d], nTimes));
    this.scale = 1 / Math.sqrt(this.frames.length);
    this.ranges = [];
    let c = 0;
    for (const f of this.frames) { this.ranges.push([c, c + f.nCoefs]); c += f.nCoefs; }
    this.nCoefs = c;
    this.freqWeight = new Float64Array(c).fill(2);
    this.frames.forEach((f, d) => {
      const s = this.ranges[d][0];
      this.freqWeight.fill(1, s, s + f.nSteps);
      this.freqWeight.fill(1, s + f.nCoefs - f.nSteps, s + f.nCoefs);
    });
  }

  /** Φ: rows [r0, r0 + count) of X (· × nTimes) to their coefficients, count × nCoefs row-major (re, im). */
  phi(X: Matrix, r0 = 0, count = X.rows - r0): { re: Float64Array; im: Float64Array } {
    if (X.cols !== this.nTimes) throw new InputError('X', `${this.nTimes} times`, `${X.cols}`);
    const re = new Float64Array(count * this.nCoefs), im = new Float64Array(count * this.nCoefs);
    const scale = this.frames.length === 1 ? 1 : this.scale;
    for (let r = 0; r < count; r++) {
      this.frames.forEach((f, d) => f.analyse(X.data, r0 + r, X.rows, scale, re, im, r * this.nCoefs + this.ranges[d][0]));
    }
    return { re, im };
  }

  /** Φᵀ: rows × nCoefs coefficients (row-major re, im) back to rows × nTimes. */
  phiT(re: Float64Array, im: Float64Array, rows: number): Matrix {
    const X = new Matrix(rows, this.nTimes);
    const scale = this.frames.length === 1 ? 1 : this.scale;
    for (let r = 0; r < rows; r++) {
      this.frames.forEach((f, d) => f.synthesise(re, im, r * this.nCoefs + this.ranges[d][0], scale, X.data, r, rows));
    }
    return X;
  }

  /** MNE's phi.norm(z, ord=2) of each row: Σ_c w_c |z_c|², the squared L2 norm over all (also negative) frequencies. */
  norm2Rows(re: Float64Array, im: Float64Array, rows: number): Float64Array {
    const out = new Float64Array(rows), w = this.freqWeight, C = this.nCoefs;
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0, o = r * C; c < C; c++, o++) s += w[c] * (re[o] * re[o] + im[o] * im[o]);
      out[r] = s;
    }
    return out;
  }
}
