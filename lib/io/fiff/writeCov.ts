/**
 * writeCov: a noise covariance as a -cov.fif file, laid out as MNE's `Covariance.save` /
 * `_write_cov`: one FIFFB_MNE_COV block with kind, dimension, degrees of freedom, channel names,
 * the data (a diagonal, or the lower triangle row by row, as float64), the eigen decomposition
 * when known, projectors and bad channels.
 */
import { atomicWrite } from '../atomicWrite.js';
import { InputError } from '../../errors.js';
import type { Covariance } from '../../records/covariance.js';
import { FIFF } from './constants.js';
import { writeBads, writeProjs } from './writeInfo.js';
import { FiffWriter } from './writer.js';

/** The bytes of a -cov.fif file holding `cov` as a noise covariance (FIFFV_MNE_NOISE_COV). */
export function encodeCov(cov: Covariance, options: { method?: string } = {}): Buffer {
  const dim = cov.data.rows;
  if (cov.data.cols !== dim) throw new InputError('cov.data', 'a square matrix', `${cov.data.rows} x ${cov.data.cols}`);
  if (cov.names.length !== 0 && cov.names.length !== dim) throw new InputError('cov.names', `${dim} names`, `${cov.names.length}`);
  const w = new FiffWriter();
  w.startBlock(FIFF.FIFFB_MNE_COV).int(FIFF.FIFF_MNE_COV_KIND, FIFF.FIFFV_MNE_NOISE_COV).int(FIFF.FIFF_MNE_COV_DIM, dim);
  if (cov.nfree > 0) w.int(FIFF.FIFF_MNE_COV_NFREE, cov.nfree);
  if (cov.names.length > 0) w.nameList(FIFF.FIFF_MNE_ROW_NAMES, cov.names);
  const d = cov.data.data;
  if (cov.diag) {
    const v = new Float64Array(dim);
    for (let i = 0; i < dim; i++) v[i] = d[i + i * dim];
    w.double(FIFF.FIFF_MNE_COV_DIAG, v);
  } else {
    const v = new Float64Array((dim * (dim + 1)) / 2);
    let k = 0;
    for (let i = 0; i < dim; i++) for (let j = 0; j <= i; j++) v[k++] = d[i + j * dim];
    w.double(FIFF.FIFF_MNE_COV, v);
  }
  if (cov.eig !== null && cov.eigvec !== null) {
    w.floatMatrix(FIFF.FIFF_MNE_COV_EIGENVECTORS, cov.eigvec.rows, cov.eigvec.cols, cov.eigvec.transpose().data);
    w.double(FIFF.FIFF_MNE_COV_EIGENVALUES, cov.eig);
  }
  writeProjs(w, cov.projs);
  writeBads(w, cov.bads);
  if (options.method !== undefined) w.string(FIFF.FIFF_MNE_COV_METHOD, options.method);
  w.endBlock(FIFF.FIFFB_MNE_COV);
  return w.finish();
}

/** Writes `cov` to `path` (a -cov.fif file) atomically. */
export async function writeCov(path: string, cov: Covariance, options: { method?: string } = {}): Promise<void> {
  await atomicWrite(path, encodeCov(cov, options));
}
