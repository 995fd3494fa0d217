/**
 * A quick numerical check of the OpenBLAS/LAPACK routines mxne relies on (dgemm, dsyrk, dsyevd,
 * dgesdd), on small fixed inputs against plain loops: run after mxne selected a kernel set itself,
 * so a kernel set that computes wrong numbers on this CPU stops the load instead of the science.
 * Sizes are odd on purpose (edge handling of the blocked micro-kernels).
 */

/** The raw routines checked (the addon's, or a stand-in in tests). Column-major, packed. */
export interface CheckedRoutines {
  gemm(transA: boolean, transB: boolean, aRows: number, aCols: number, A: Float64Array,
    bRows: number, bCols: number, B: Float64Array, alpha: number, beta: number, C: Float64Array): Float64Array;
  /** AᵀA (outer false) or AAᵀ (outer true) by dsyrk. */
  gram(outer: boolean, rows: number, cols: number, A: Float64Array, out: Float64Array): Float64Array;
  eigh(n: number, A: Float64Array, w: Float64Array, V: Float64Array): Float64Array;
  svd(m: number, n: number, A: Float64Array, U: Float64Array, s: Float64Array, Vt: Float64Array): Float64Array;
}

// Backward-stable routines on these sizes give ~k·eps relative; a wrong kernel gives O(1).
const TOL = 1e-11;

const filled = (rows: number, cols: number, seed: number): Float64Array =>
  Float64Array.from({ length: rows * cols }, (_, k) => Math.sin(seed + 0.37 * k) + 0.1 * Math.cos(1.3 * k * seed));

/** C = op(A)·op(B) by plain loops; A aRows×aCols, B bRows×bCols. */
function naiveProduct(tA: boolean, tB: boolean, aRows: number, aCols: number, A: Float64Array, bRows: number, bCols: number, B: Float64Array): Float64Array {
  const m = tA ? aCols : aRows, k = tA ? aRows : aCols, n = tB ? bRows : bCols;
  const a = (i: number, l: number) => (tA ? A[i * aRows + l] : A[l * aRows + i]);
  const b = (l: number, j: number) => (tB ? B[l * bRows + j] : B[j * bRows + l]);
  const C = new Float64Array(m * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) {
    let s = 0;
    for (let l = 0; l < k; l++) s += a(i, l) * b(l, j);
    C[j * m + i] = s;
  }
  return C;
}

function maxRelDiff(x: Float64Array, y: Float64Array): number {
  let d = 0, scale = 0;
  for (let k = 0; k < x.length; k++) { d = Math.max(d, Math.abs(x[k] - y[k])); scale = Math.max(scale, Math.abs(y[k])); }
  return scale === 0 ? d : d / scale;
}

/** Runs every check; returns the failures (routine and measured relative error), empty when all pass. */
export function blasSelfCheck(r: CheckedRoutines): string[] {
  const failures: string[] = [];
  const expect = (what: string, err: number) => { if (!(err <= TOL)) failures.push(`${what}: relative error ${err.toExponential(2)}`); };

  const m = 37, k = 29, n = 23;
  const A = filled(m, k, 1), B = filled(k, n, 2), Bt = filled(n, m, 3);
  expect('dgemm', maxRelDiff(r.gemm(false, false, m, k, A, k, n, B, 1, 0, new Float64Array(m * n)), naiveProduct(false, false, m, k, A, k, n, B)));
  expect('dgemm (transposed)', maxRelDiff(r.gemm(true, true, m, k, A, n, m, Bt, 1, 0, new Float64Array(k * n)), naiveProduct(true, true, m, k, A, n, m, Bt)));
  const G = r.gram(false, m, k, A, new Float64Array(k * k));
  expect('dsyrk', maxRelDiff(G, naiveProduct(true, false, m, k, A, m, k, A)));

  // dsyevd: V·diag(w)·Vᵀ = S and VᵀV = I on a symmetric positive definite S = AᵀA + I.
  const S = naiveProduct(true, false, m, k, A, m, k, A);
  for (let i = 0; i < k; i++) S[i * k + i] += 1;
  const w = new Float64Array(k), V = new Float64Array(k * k);
  r.eigh(k, Float64Array.from(S), w, V);
  const VW = Float64Array.from(V, (v, idx) => v * w[Math.floor(idx / k)]);
  expect('dsyevd (V·diag(w)·Vᵀ)', maxRelDiff(naiveProduct(false, true, k, k, VW, k, k, V), S));
  expect('dsyevd (VᵀV)', maxRelDiff(naiveProduct(true, false, k, k, V, k, k, V), identity(k)));

  // dgesdd: U·diag(s)·Vt = A with orthonormal U columns.
  const U = new Float64Array(m * k), s = new Float64Array(k), Vt = new Float64Array(k * k);
  r.svd(m, k, Float64Array.from(A), U, s, Vt);
  const US = Float64Array.from(U, (u, idx) => u * s[Math.floor(idx / m)]);
  expect('dgesdd (U·diag(s)·Vᵀ)', maxRelDiff(naiveProduct(false, false, m, k, US, k, k, Vt), A));
  expect('dgesdd (UᵀU)', maxRelDiff(naiveProduct(true, false, m, k, U, m, k, U), identity(k)));
  return failures;
}

function identity(n: number): Float64Array {
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return I;
}
