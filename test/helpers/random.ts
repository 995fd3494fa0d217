/** Deterministic random matrices for tests (mulberry32 + Box–Muller). */
import { Matrix } from '../../lib/linalg/matrix.js';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randn(rows: number, cols: number, seed = 1): Matrix {
  const r = rng(seed);
  const m = new Matrix(rows, cols);
  for (let k = 0; k < m.data.length; k += 1) {
    m.data[k] = Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
  }
  return m;
}
