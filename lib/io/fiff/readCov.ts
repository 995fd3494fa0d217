/** readCov: the noise covariance of a -cov.fif file, as MNE's `read_cov`. */
import { Matrix } from '../../linalg/matrix.js';
import type { Covariance } from '../../records/covariance.js';
import { FIFF } from './constants.js';
import { openFiff, type DirEntry, type FiffFile } from './fiffFile.js';
import { requireBlock } from './fiffKind.js';
import { tagColumnMajor, tagFloatValues, tagSparse } from './matrixTag.js';
import { readBads, readProj } from './proj.js';
import { tagInt, tagString } from './tag.js';
import { findEntry, findNodes, requireEntry, type FiffNode } from './tree.js';
import { requireUniqueNames } from './uniqueNames.js';

/** The stored matrix: a packed lower triangle (row by row, as numpy's tril mask), a diagonal, or sparse. */
function covData(f: FiffFile, node: FiffNode, dim: number): { data: Matrix; diag: boolean } {
  const full = findEntry(node, FIFF.FIFF_MNE_COV);
  if (full === null) {
    const d = requireEntry(f, node, FIFF.FIFF_MNE_COV_DIAG, 'covariance data (full or diagonal)');
    const v = tagFloatValues(f, d);
    if (v.length !== dim) f.fail(d.pos, d.kind, `expected ${dim} diagonal values, found ${v.length}`);
    const data = new Matrix(dim, dim);
    for (let i = 0; i < dim; i++) data.set(i, i, v[i]);
    return { data, diag: true };
  }
  const coding = f.header(full.pos, full.kind).type >>> 16;
  if (coding === FIFF.FIFFTS_MC_CCS || coding === FIFF.FIFFTS_MC_RCS) return { data: sparseCov(f, full, dim), diag: false };
  const vals = tagFloatValues(f, full);
  if (vals.length !== (dim * (dim + 1)) / 2) f.fail(full.pos, full.kind, `expected ${(dim * (dim + 1)) / 2} packed lower-triangle values for dim ${dim}, found ${vals.length}`);
  return { data: unpackLower(vals, dim), diag: false };
}

/** MNE's data + data.T with the diagonal halved: off-diagonals are exact copies, the diagonal (2v)/2 = v. */
function unpackLower(vals: Float64Array, dim: number): Matrix {
  const data = new Matrix(dim, dim);
  const d = data.data;
  for (let i = 0, k = 0; i < dim; i++) {
    for (let j = 0; j <= i; j++, k++) {
      d[i + j * dim] = vals[k];
      d[j + i * dim] = vals[k];
    }
  }
  return data;
}

function sparseCov(f: FiffFile, e: DirEntry, dim: number): Matrix {
  const s = tagSparse(f, e);
  if (s.rows !== dim || s.cols !== dim) f.fail(e.pos, e.kind, `expected a ${dim}x${dim} sparse covariance, found ${s.rows}x${s.cols}`);
  const out = new Matrix(dim, dim);
  const n = s.indptr.length - 1;
  for (let a = 0; a < n; a++) {
    for (let p = s.indptr[a]; p < s.indptr[a + 1]; p++) {
      const [i, j] = s.format === 'csc' ? [s.indices[p], a] : [a, s.indices[p]];
      out.data[i + j * dim] += s.data[p];
    }
  }
  return out;
}

function eigen(f: FiffFile, node: FiffNode): { eig: Float64Array | null; eigvec: Matrix | null } {
  const e1 = findEntry(node, FIFF.FIFF_MNE_COV_EIGENVALUES);
  const e2 = findEntry(node, FIFF.FIFF_MNE_COV_EIGENVECTORS);
  if (e1 === null || e2 === null) return { eig: null, eigvec: null };
  return { eig: tagFloatValues(f, e1), eigvec: tagColumnMajor(f, e2) };
}

export async function readCov(path: string): Promise<Covariance> {
  return readCovFrom(await openFiff(path));
}

/** readCov on an opened file. */
export function readCovFrom(f: FiffFile): Covariance {
  requireBlock(f, FIFF.FIFFB_MNE_COV, 'a noise covariance (-cov.fif)');
  for (const node of findNodes(f.tree, FIFF.FIFFB_MNE_COV)) {
    const kindEntry = findEntry(node, FIFF.FIFF_MNE_COV_KIND);
    if (kindEntry === null || tagInt(f, kindEntry) !== FIFF.FIFFV_MNE_NOISE_COV) continue;
    const dim = tagInt(f, requireEntry(f, node, FIFF.FIFF_MNE_COV_DIM, 'the covariance dimension'));
    // The record holds the full dim × dim matrix, so bound it before anything is expanded (1 GiB).
    if (dim < 0 || dim * dim > 2 ** 27) f.fail(node.pos, FIFF.FIFF_MNE_COV_DIM, `expected a covariance dimension in [0, ${2 ** 13.5 | 0}], found ${dim}`);
    const nfreeEntry = findEntry(node, FIFF.FIFF_MNE_COV_NFREE);
    const namesEntry = findEntry(node, FIFF.FIFF_MNE_ROW_NAMES);
    const names = namesEntry === null ? [] : tagString(f, namesEntry).split(':');
    if (namesEntry !== null && names.length !== dim) f.fail(namesEntry.pos, namesEntry.kind, `expected ${dim} channel names, found ${names.length}`);
    if (namesEntry !== null) requireUniqueNames(f, namesEntry.pos, namesEntry.kind, names, 'the covariance');
    const { data, diag } = covData(f, node, dim);
    return {
      names, data, diag, bads: readBads(f, node), projs: readProj(f, node),
      nfree: nfreeEntry === null ? -1 : tagInt(f, nfreeEntry), ...eigen(f, node),
    };
  }
  return f.fail(0, FIFF.FIFF_MNE_COV_KIND, 'expected a noise covariance block (FIFFB_MNE_COV with kind 1)');
}
