// Types for fft.js 4 (indutny/fft.js), which ships none: the radix-4 FFT the STFT dictionary uses.
declare module 'fft.js' {
  export default class FFT {
    constructor(size: number);
    readonly size: number;
    /** Forward transform of a real signal into `out` (interleaved re, im; the first size/2 + 1 bins are filled). */
    realTransform(out: Float64Array, data: Float64Array): void;
    /** Inverse complex transform (divided by size), interleaved re, im. */
    inverseTransform(out: Float64Array, data: Float64Array): void;
  }
}
