/**
 * printf-style `%<width>.<precision>f`, digit for digit as C and Python print it: the exact binary
 * value rounded half to even. (Number.prototype.toFixed rounds exact ties away from zero, so
 * 0.125.toFixed(2) is "0.13" where Python's '%.2f' gives "0.12".)
 */
export function formatFixed(x: number, precision: number, width = 0): string {
  let body: string;
  if (Number.isNaN(x)) body = 'nan';
  else if (!Number.isFinite(x)) body = x > 0 ? 'inf' : '-inf';
  else body = (x < 0 || Object.is(x, -0) ? '-' : '') + exactFixed(Math.abs(x), precision);
  return body.padStart(width);
}

/**
 * x ≥ 0 finite. toFixed is exact too, but for ties, where it takes the larger neighbour: x·10^p
 * ends in exactly .5 only when x = j / 2^(p+1) with j odd, i.e. x·2^(p+1) (an exact product) is an
 * odd integer. Those, and values from 1e21 (where toFixed switches to exponents), take the integer
 * arithmetic: a .dip file has ~1,800 numbers per dipole, and BigInt for each was most of a row's writing.
 */
function exactFixed(x: number, p: number): string {
  if (x < 1e21 && (x * 2 ** (p + 1)) % 2 !== 1) return x.toFixed(p);
  return bigFixed(x, p);
}

/** x = m·2^e exactly, so x·10^p = m·10^p / 2^-e is rounded half to even with integer arithmetic. */
function bigFixed(x: number, p: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const m = biased === 0 ? frac : frac | (1n << 52n);
  const e = biased === 0 ? -1074 : biased - 1075;
  const scaled = m * 10n ** BigInt(p);
  let n: bigint;
  if (e >= 0) {
    n = scaled << BigInt(e);
  } else {
    const den = 1n << BigInt(-e);
    n = scaled / den;
    const twice = 2n * (scaled - n * den);
    if (twice > den || (twice === den && (n & 1n) === 1n)) n += 1n;
  }
  const digits = n.toString().padStart(p + 1, '0');
  return p === 0 ? digits : `${digits.slice(0, -p)}.${digits.slice(-p)}`;
}
