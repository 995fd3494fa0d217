/**
 * mxne's public API: the only import users need. Names and options mirror MNE-Python 1.3 in
 * camelCase (read_forward_solution → readForward, mixed_norm → mixedNorm, …).
 */
// Reading MNE's files
export { readForward } from './io/fiff/readForward.js';
export { readCov } from './io/fiff/readCov.js';
export { readEvoked } from './io/fiff/readEvoked.js';
export type { ReadEvokedOptions } from './io/fiff/readEvoked.js';
export { readSourceSpaces } from './io/fiff/readSourceSpaces.js';
export { readInfo } from './io/fiff/readInfo.js';

// Minimum norm (the irMxNE weights) and sparse source imaging
export { makeInverseOperator } from './inverse/makeInverseOperator.js';
export type { InverseOperator, InverseOperatorOptions } from './inverse/makeInverseOperator.js';
export { applyInverse } from './inverse/applyInverse.js';
export type { ApplyInverseOptions, InverseMethod } from './inverse/applyInverse.js';
export { mixedNorm } from './sparse/mixedNorm.js';
export type { MixedNormResult, MixedNormCondition, MixedNormDiagnostics } from './sparse/mixedNorm.js';
export type { MixedNormOptions } from './sparse/mixedNormOptions.js';
export { tfMixedNorm } from './sparse/tfmxne/tfMixedNorm.js';
export type { TfMixedNormOptions, TfMixedNormResult, TfMixedNormDiagnostics } from './sparse/tfmxne/tfMixedNorm.js';
export { tfMixedNormSolver, iterativeTfMixedNormSolver } from './sparse/tfmxne/tfMixedNormSolver.js';
export type { TfMixedNormSolverOptions, TfMixedNormSolution } from './sparse/tfmxne/tfMixedNormSolver.js';
export { gammaMap } from './sparse/gammaMap/gammaMap.js';
export type { GammaMapOptions, GammaMapResult, GammaMapDiagnostics } from './sparse/gammaMap/gammaMap.js';
export { gammaMapSolver } from './sparse/gammaMap/gammaMapSolver.js';
export type { GammaMapSolverOptions, GammaMapSolution } from './sparse/gammaMap/gammaMapSolver.js';
export { makeStcFromDipoles } from './results/makeStcFromDipoles.js';

// MNE's solvers on plain matrices (mne.inverse_sparse.mxne_optim / mxne_debiasing)
export { mixedNormSolver } from './sparse/mixedNormSolver.js';
export type { MixedNormSolverResult } from './sparse/mixedNormSolver.js';
export { iterativeMixedNormSolver } from './sparse/iterativeMixedNormSolver.js';
export type { IrMxneResult } from './sparse/iterativeMixedNormSolver.js';
export type { MixedNormSolverOptions, IterativeMixedNormSolverOptions, SolverChoiceWarning } from './sparse/solverOptions.js';
export { computeBias } from './sparse/computeBias.js';
export type { ComputeBiasOptions, ComputeBiasResult } from './sparse/computeBias.js';
export type { SolveProgress } from './sparse/solverOptions.js';
export type { NoActiveSourceWarning } from './results/makeSparseResult.js';

// The seed workflow on files (what `mxne solve` runs)
export { solveFiles, readSeedInputs, solveSeed } from './workflow/solveFiles.js';
export type { SolveJob, SeedInputs } from './workflow/solveFiles.js';
export type { SolveSummary } from './workflow/summary.js';
// `mxne solve --auto`: alpha and weighting from the data (bench/ACCURACY.md)
export { autoMixedNorm, averageNoiseCov, AUTO_STRATEGIES, DEFAULT_AUTO_STRATEGY } from './workflow/autoSolve.js';
export type { AutoOptions, AutoStrategy } from './workflow/autoSolve.js';
export { dspmWeights } from './workflow/dspmWeights.js';

// Many recordings side by side (worker threads, one BLAS thread each)
export { SolvePool } from './pool/solvePool.js';
export type { SolvePoolOptions, TaskOptions, RowOutcome } from './pool/solvePool.js';

// Writing results MNE can read
export { writeStc, readStc } from './io/stc.js';
export { writeDip, readDip } from './io/dipText.js';
export { writeBdip, readBdip } from './io/bdip.js';
export { writeEvoked } from './io/fiff/writeEvoked.js';
export { writeForward } from './io/fiff/writeForward.js';
export { writeCov } from './io/fiff/writeCov.js';

// The built-in synthetic dataset
export { generateDemo, writeSyntheticForward } from './demo/index.js';
export type { DemoDataset, DemoSource } from './demo/index.js';

// Records, errors, matrices, threads
export { Evoked } from './records/evoked.js';
export type { EvokedTiming } from './records/evoked.js';
export type { Info, ChannelInfo, ChannelType, Projection, Transform } from './records/info.js';
export type { Covariance } from './records/covariance.js';
export type { Forward } from './records/forward.js';
export type { SourceSpace } from './records/sourceSpace.js';
export type { SourceEstimate } from './records/sourceEstimate.js';
export type { Dipole } from './records/dipole.js';
export { MxneError, InputError, FiffError, ChannelMismatchError, NativeError, PoolError } from './errors.js';
export type { ConvergenceWarning } from './errors.js';
export { Matrix } from './linalg/matrix.js';
export { setNumThreads, getNumThreads } from './native.js';

// Pictures, report and morph (issue 11)
export { computeSourceMorph, applySourceMorph } from './morph/computeSourceMorph.js';
export type { SourceMorph, SourceMorphOptions } from './morph/computeSourceMorph.js';
export { readMgh } from './io/freesurfer/readMgh.js';
export type { MghVolume } from './io/freesurfer/readMgh.js';
export { readSurface, writeSurface } from './io/freesurfer/surface.js';
export type { Surface } from './io/freesurfer/surface.js';
export { writeMgh } from './io/freesurfer/writeMgh.js';
export { makeFigures } from './viz/figures.js';
export type { Figure, FigureInput } from './viz/figures.js';
export { writeReport } from './report/writeReport.js';
export { rebuildReport } from './report/rebuildReport.js';
export { FreeSurferError } from './errors.js';
