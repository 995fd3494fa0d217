/** mxne's public API: the only import users need. */
export { Matrix } from './linalg/matrix.js';
export { gemm, gemmAsync, gram, gramAsync } from './linalg/blas.js';
export { setNumThreads, getNumThreads } from './native.js';
export { MxneError, InputError, FiffError, ChannelMismatchError, NativeError } from './errors.js';
export type { ConvergenceWarning } from './errors.js';
export type { Info, ChannelInfo, ChannelType, Projection, Transform } from './records/info.js';
export type { Covariance } from './records/covariance.js';
export type { Forward } from './records/forward.js';
export type { SourceSpace } from './records/sourceSpace.js';
export { Evoked } from './records/evoked.js';
export type { SourceEstimate } from './records/sourceEstimate.js';
export type { Dipole } from './records/dipole.js';
// results: from solver output to dipoles, source estimates, residual (MNE mxne_inverse.py)
export { makePhysicalSolution } from './results/physicalSolution.js';
export type { ActiveSolution, Rescaling, PhysicalSolution } from './results/physicalSolution.js';
export { sourceGeometry } from './results/sourceGeometry.js';
export type { SourceGeometry } from './results/sourceGeometry.js';
export { makeDipoles, sparseTimes } from './results/makeDipoles.js';
export { splitGof } from './results/splitGof.js';
export { makeSparseStc } from './results/makeSparseStc.js';
export type { SparseStcOptions } from './results/makeSparseStc.js';
export { makeStcFromDipoles } from './results/makeStcFromDipoles.js';
export type { DipoleSourceSpace } from './results/makeStcFromDipoles.js';
export { computeResidual } from './results/computeResidual.js';
export type { ResidualInput } from './results/computeResidual.js';
export { explainedVariance } from './results/explainedVariance.js';
export { makeSparseResult } from './results/makeSparseResult.js';
export type { SparseResult, SparseResultInput, NoActiveSourceWarning } from './results/makeSparseResult.js';
// result files: .stc (MNE binary), .dip (text), .bdip (Xfit binary)
export { writeStc, readStc } from './io/stc.js';
export { writeDip, readDip } from './io/dipText.js';
export { writeBdip, readBdip } from './io/bdip.js';
export type { DipoleTable } from './io/dipoleTable.js';
// FIF reading (MNE's read_forward_solution, read_cov, read_evokeds, read_source_spaces)
export { readForward } from './io/fiff/readForward.js';
export { readCov } from './io/fiff/readCov.js';
export { readEvoked } from './io/fiff/readEvoked.js';
export type { ReadEvokedOptions } from './io/fiff/readEvoked.js';
export { readSourceSpaces } from './io/fiff/readSourceSpaces.js';
export type { EvokedTiming } from './records/evoked.js';
export { writeEvoked } from './io/fiff/writeEvoked.js';
export { FiffWriter } from './io/fiff/writer.js';
export { readInfo } from './io/fiff/readInfo.js';
