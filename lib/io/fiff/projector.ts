/**
 * Applying projectors that are not yet active, as MNE's `Evoked.apply_proj` on read (proj=True):
 * MNE's `_make_projector` over all projectors (bad channels zeroed, each vector normalised), an
 * orthonormal basis U of their span (singular values below 1 % of the largest dropped), then
 * data ← (I − U Uᵀ) data and every projector marked active. The span basis comes from the small
 * nvec × nvec Gram matrix (Jacobi), which spans the same subspace as MNE's SVD.
 */
import { InputError } from '../../errors.js';
import { Matrix } from '../../linalg/matrix.js';
import type { Evoked } from '../../records/evoked.js';
import type { Info } from '../../records/info.js';

/** Eigen-decomposition of a small symmetric matrix (cyclic Jacobi); columns of `vecs` are eigenvectors. */
function jacobiEigen(a: Matrix): { values: Float64Array; vecs: Matrix } {
  const n = a.rows;
  const m = a.clone();
  const v = Matrix.identity(n);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m.get(p, q) ** 2;
    if (off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m.get(p, q);
        if (apq === 0) continue;
        const theta = (m.get(q, q) - m.get(p, p)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m.get(k, p), mkq = m.get(k, q);
          m.set(k, p, c * mkp - s * mkq); m.set(k, q, s * mkp + c * mkq);
        }
        for (let k = 0; k < n; k++) {
          const mpk = m.get(p, k), mqk = m.get(q, k);
          m.set(p, k, c * mpk - s * mqk); m.set(q, k, s * mpk + c * mqk);
        }
        for (let k = 0; k < n; k++) {
          const vkp = v.get(k, p), vkq = v.get(k, q);
          v.set(k, p, c * vkp - s * vkq); v.set(k, q, s * vkp + c * vkq);
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let k = 0; k < n; k++) values[k] = m.get(k, k);
  return { values, vecs: v };
}

/** nchan × nvec projection vectors over `info.chNames`, bad channels zeroed, each normalised. */
function projectionVectors(info: Info): Matrix {
  const nvec = info.projs.reduce((s, p) => s + p.data.rows, 0);
  const vecs = new Matrix(info.nchan, nvec);
  const bads = new Set(info.bads);
  let col = 0;
  for (const p of info.projs) {
    const where = new Map(p.colNames.map((name, k) => [name, k]));
    for (let r = 0; r < p.data.rows; r++, col++) {
      const v = vecs.col(col);
      info.chNames.forEach((name, c) => {
        const k = where.get(name);
        if (k !== undefined && !bads.has(name)) v[c] = p.data.get(r, k);
      });
      let norm = 0;
      for (const x of v) norm += x * x;
      norm = Math.sqrt(norm);
      if (norm > 0) for (let c = 0; c < v.length; c++) v[c] /= norm;
    }
  }
  return vecs;
}

/** Orthonormal basis of the projectors' span (MNE keeps singular values above 1 % of the largest). */
function spanBasis(vecs: Matrix): Matrix {
  const n = vecs.cols;
  const gram = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    const a = vecs.col(i), b = vecs.col(j);
    for (let k = 0; k < a.length; k++) s += a[k] * b[k];
    gram.set(i, j, s);
  }
  const { values, vecs: w } = jacobiEigen(gram);
  const order = Array.from(values.keys()).sort((x, y) => values[y] - values[x]);
  const smax = Math.sqrt(Math.max(values[order[0]], 0));
  const keep = order.filter((k) => smax > 0 && Math.sqrt(Math.max(values[k], 0)) / smax > 1e-2);
  const u = new Matrix(vecs.rows, keep.length);
  keep.forEach((k, j) => {
    const s = Math.sqrt(values[k]);
    const out = u.col(j);
    for (let i = 0; i < n; i++) { const wik = w.get(i, k) / s; const a = vecs.col(i); for (let r = 0; r < a.length; r++) out[r] += a[r] * wik; }
  });
  return u;
}

export function applyProjectors(evoked: Evoked): Evoked {
  const info = evoked.info;
  if (info.projs.length === 0 || info.projs.every((p) => p.active)) return evoked;
  const nvec = info.projs.reduce((s, p) => s + p.data.rows, 0);
  if (nvec >= info.nchan) throw new InputError('info.projs', `fewer projection vectors than channels (${info.nchan})`, `${nvec}`);
  const activated: Info = { ...info, projs: info.projs.map((p) => ({ ...p, active: true })) };
  const vecs = projectionVectors(info);
  // MNE: no non-zero vector means no projector, and the data and info are left as they are.
  if (vecs.data.every((x) => x === 0)) return evoked;
  const u = spanBasis(vecs);
  const x = evoked.data.clone();
  const t = x.cols;
  for (let j = 0; j < u.cols; j++) {
    const uj = u.col(j);
    for (let k = 0; k < t; k++) {
      const xk = x.col(k);
      let s = 0;
      for (let i = 0; i < uj.length; i++) s += uj[i] * evoked.data.data[i + k * x.rows];
      for (let i = 0; i < uj.length; i++) xk[i] -= s * uj[i];
    }
  }
  return evoked.withData(x, activated);
}
