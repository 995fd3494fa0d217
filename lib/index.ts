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
