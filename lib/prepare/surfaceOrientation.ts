/**
 * MNE 1.3's `convert_forward_solution(surf_ori=True[, force_fixed=True], use_cps)` for a
 * free-orientation forward read from file: each surface source's 3 columns are rotated into
 * (tangent, tangent, normal) by `_normal_orth` of its normal (the patch-averaged normal with
 * `useCps` when the source space has patch information), and reduced to the normal column for a
 * fixed orientation. Volume sources keep their x/y/z columns.
 */
import { InputError } from '../errors.js';
import { freeNormals } from '../io/fiff/readForward.js';
import { Matrix } from '../linalg/matrix.js';
import { addon, callAsync } from '../native.js';
import type { Forward } from '../records/forward.js';
import type { SourceSpace } from '../records/sourceSpace.js';

/** MNE's `_get_src_nn`: per used vertex, its normal or the normalised sum of its patch's normals. */
export function sourceNormals(s: SourceSpace, useCps: boolean): Matrix {
  const out = new Matrix(s.nuse, 3);
  const patches = useCps && s.patchInds && s.pinfo ? { inds: s.patchInds, pinfo: s.pinfo } : null;
  for (let p = 0; p < s.nuse; p++) {
    const v = s.vertno[p];
    let x = 0, y = 0, z = 0;
    if (patches) {
      for (const w of patches.pinfo[patches.inds[p]]) { x += s.nn.get(w, 0); y += s.nn.get(w, 1); z += s.nn.get(w, 2); }
      const n = Math.hypot(x, y, z);
      x /= n; y /= n; z /= n;
    } else {
      x = s.nn.get(v, 0); y = s.nn.get(v, 1); z = s.nn.get(v, 2);
    }
    out.set(p, 0, x); out.set(p, 1, y); out.set(p, 2, z);
  }
  return out;
}

/**
 * MNE's `_normal_orth` for every row of `normals` (n × 3): a 3n × 3 Matrix whose rows are
 * (t1, t2, n) per normal — the eigenvectors of I − n nᵀ in descending order (LAPACK dsyevd, as
 * numpy's eigh), signed so the last points along n. The tangent pair spans a degenerate
 * eigenspace, so it is an arbitrary rotation that not even numpy reproduces across thread
 * settings (fixtures §4.3); taking it from the same LAPACK routine still matters: MNE's Anderson
 * step squares its candidate elementwise, which is not rotation invariant, and with a closed-form
 * basis instead two of the 21 reference cases take another path.
 */
export async function normalOrthBasis(normals: Matrix): Promise<Matrix> {
  const n = normals.rows;
  const flat = new Float64Array(3 * n);
  for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) flat[3 * p + c] = normals.get(p, c);
  const rowMajor = new Float64Array(9 * n);
  await callAsync(() => addon.normalOrthAsync(n, flat, rowMajor));
  const out = new Matrix(3 * n, 3);
  for (let p = 0; p < n; p++) for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out.set(3 * p + r, c, rowMajor[9 * p + 3 * r + c]);
  return out;
}

export interface SurfaceBasis {
  /** 3·nsource × 3: rows (t1, t2, n) per surface source (only n for a fixed orientation without CPS), identity rows for volume sources. */
  sourceNn: Matrix;
  /** The same, 9 row-major values per source, for the native rotations. */
  basis: Float64Array;
}

/** The per-source rotation MNE's convert_forward_solution applies (surface orientation). */
export async function surfaceBasis(fwd: Forward, o: { fixed: boolean; useCps: boolean }): Promise<SurfaceBasis> {
  const ns = fwd.nsource;
  const nn = freeNormals(ns);
  let pp = 0;
  for (const s of fwd.src) {
    if (s.type === 'surf' || s.type === 'discrete') {
      const normals = sourceNormals(s, o.useCps);
      // MNE's fixed branch without CPS takes the vertex normal as is (no _normal_orth).
      const basis = o.fixed && !o.useCps ? null : await normalOrthBasis(normals);
      placeSpaceBasis(nn, pp, s.nuse, basis, normals);
    } else if (o.fixed) {
      throw new InputError('loose', 'a loose or free orientation (loose = 1) for a volume source space', 'a fixed orientation');
    }
    pp += 3 * s.nuse;
  }
  return { sourceNn: nn, basis: rowMajorBlocks(nn) };
}

// surfaceBasis's loops are functions of their own: inside it, V8 recompiled all of surfaceBasis
// on every subject (on-stack replacement).

/** One space's rows of nn from `pp` on: its orthonormal basis, or (no basis) the normal as the third row. */
function placeSpaceBasis(nn: Matrix, pp: number, nuse: number, basis: Matrix | null, normals: Matrix): void {
  for (let p = 0; p < nuse; p++) {
    for (let r = basis ? 0 : 2; r < 3; r++) for (let c = 0; c < 3; c++) nn.set(pp + 3 * p + r, c, basis ? basis.get(3 * p + r, c) : normals.get(p, c));
  }
}

/** nn's 3 × 3 block of each source, 9 row-major values per source. */
function rowMajorBlocks(nn: Matrix): Float64Array {
  const ns = nn.rows / 3;
  const out = new Float64Array(9 * ns);
  for (let k = 0; k < ns; k++) for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[9 * k + 3 * r + c] = nn.get(3 * k + r, c);
  return out;
}

/** `basis`: surfaceBasis(fwd, o) when the caller has it already (shared by the preparations of one solve). */
export async function toSurfaceOrientation(fwd: Forward, o: { fixed: boolean; useCps: boolean }, basis?: Promise<SurfaceBasis>): Promise<Forward> {
  if (fwd.sourceOri === 1) {
    // Already fixed on disk: MNE only recomputes the normals.
    if (!o.fixed) throw new InputError('forward', 'a free-orientation forward for a loose or free inverse', 'a fixed-orientation forward');
    const nn = stackNormals(fwd.src, o.useCps);
    return { ...fwd, sourceNn: nn, surfOri: true };
  }
  if (fwd.surfOri) throw new InputError('forward', 'a forward in x/y/z source orientation as read from file', 'an already surface-oriented forward');
  const { sourceNn: nn, basis: rotation } = await (basis ?? surfaceBasis(fwd, o));
  const nchan = fwd.sol.rows, ns = fwd.nsource;
  // Not zeroed: the rotation writes every column.
  const sol = Matrix.uninitialized(nchan, o.fixed ? ns : 3 * ns);
  // In C++ (same arithmetic, rounded to float32 for a fixed orientation as MNE stores it).
  await callAsync(() => addon.rotateSourcesAsync(nchan, ns, fwd.sol.data, rotation, o.fixed, sol.data));
  const sourceNn = o.fixed ? new Matrix(ns, 3) : nn;
  if (o.fixed) for (let k = 0; k < ns; k++) for (let c = 0; c < 3; c++) sourceNn.set(k, c, nn.get(3 * k + 2, c));
  return { ...fwd, sol, sourceNn, surfOri: true, sourceOri: o.fixed ? 1 : 2 };
}

/**
 * Rotates every source block of A (rows × 3·nsource, e.g. a whitened gain) in place:
 * (W·G)·R = W·(G·R), so the whitening can start from the gain as read and no rotated copy of
 * the full forward is ever made. Returns the squared norm of each rotated column (same pass).
 */
export async function rotateColumnsInPlace(A: Matrix, basis: Float64Array): Promise<Float64Array> {
  const norms2 = new Float64Array(A.cols);
  await callAsync(() => addon.rotateSourcesInPlaceAsync(A.rows, A.cols / 3, A.data, basis, norms2));
  return norms2;
}

/** Columns `cols` of the rotated gain, over `rows` of `sol` (the gain as read): for a few active columns. */
export function rotatedColumns(sol: Matrix, basis: Float64Array, cols: ArrayLike<number>, rows: Int32Array): Matrix {
  const out = new Matrix(rows.length, cols.length);
  const n = sol.rows;
  for (let j = 0; j < cols.length; j++) {
    const k = Math.floor(cols[j] / 3), r = cols[j] % 3;
    const b = basis.subarray(9 * k + 3 * r, 9 * k + 3 * r + 3);
    const x = 3 * k * n, y = x + n, z = y + n;
    const o = out.col(j);
    for (let i = 0; i < rows.length; i++) {
      const q = rows[i];
      o[i] = sol.data[x + q] * b[0] + sol.data[y + q] * b[1] + sol.data[z + q] * b[2];
    }
  }
  return out;
}

function stackNormals(src: SourceSpace[], useCps: boolean): Matrix {
  const parts = src.map((s) => sourceNormals(s, useCps));
  const out = new Matrix(parts.reduce((n, p) => n + p.rows, 0), 3);
  let r0 = 0;
  for (const p of parts) {
    for (let r = 0; r < p.rows; r++) for (let c = 0; c < 3; c++) out.set(r0 + r, c, p.get(r, c));
    r0 += p.rows;
  }
  return out;
}
