/**
 * The common tail of gamma_map and tf_mixed_norm (MNE 1.3): from the solver's active columns of
 * the prepared gain and its coefficients to dipoles, the sparse estimate, the residual and the
 * explained variance, through lib/results as mixedNorm does. Also the common head: the checks on the
 * evoked and the whitened data of the gain's channels.
 */
import { InputError } from '../errors.js';
import { gemmAsync } from '../linalg/blas.js';
import type { Matrix } from '../linalg/matrix.js';
import type { SparseGain } from '../prepare/prepareGain.js';
import { needsEegAverageReference } from '../prepare/picksByType.js';
import type { Dipole } from '../records/dipole.js';
import type { Evoked } from '../records/evoked.js';
import type { SourceEstimate } from '../records/sourceEstimate.js';
import { makeSparseResult, type NoActiveSourceWarning } from '../results/makeSparseResult.js';
import { sourceGeometry } from '../results/sourceGeometry.js';
import { nameIndex, positionsOf } from '../records/nameIndex.js';

export interface SparseSolverResult {
  dipoles: Dipole[];
  stc: SourceEstimate;
  /** The evoked minus the fit (for TF-MxNE: the tapered evoked, as MNE). */
  residual: Evoked;
  /** Percent of the whitened data variance explained. */
  explainedVariance: number;
  times: Float64Array;
}

/** MNE's _check_reference and finite data: throws InputError naming the field. */
export function checkEvoked(evoked: Evoked): void {
  const bad = evoked.data.firstNonFinite();
  if (bad >= 0) throw new InputError('evoked.data', 'finite values', `${evoked.data.data[bad]} at channel ${evoked.info.chNames[bad % evoked.data.rows]}, sample ${Math.floor(bad / evoked.data.rows)}`);
  if (needsEegAverageReference(evoked.info)) {
    throw new InputError('evoked.info.projs', 'an average EEG reference projector (MNE requires one for modelling EEG)', 'none');
  }
}

/** W · evoked[chNames]: the whitened data of the prepared gain's channels. */
export async function whitenedData(prep: SparseGain, evoked: Evoked): Promise<Matrix> {
  return gemmAsync(prep.whitener, evoked.data.pickRows(positionsOf(nameIndex(evoked.info.chNames), prep.chNames)));
}

export interface SolvedColumns {
  /** nActive × T in the solver's units (scaled gain); rows = `columns`, whole blocks of nOrient. */
  X: Matrix;
  /** Ascending indices into the solver's gain G (the columns kept by a weights mask). */
  columns: Int32Array;
  /** The factor the gain and source weighting were divided by (TF-MxNE: 0.01·alpha_max; Gamma-MAP: 1). */
  alphaScale: number;
}

/** Dipoles, estimate, residual and explained variance of a solution, as MNE's `_make_dipoles_sparse` etc. */
export function solverResult(prep: SparseGain, G: Matrix, M: Matrix, evoked: Evoked, solved: SolvedColumns,
  pickOri: 'vector' | null): { result: SparseSolverResult; warnings: NoActiveSourceWarning[] } {
  // Back to the full gain's columns (MNE undoes the weights mask before building results).
  const kept = prep.keptColumns;
  const activeColumns = kept === null ? solved.columns : solved.columns.map((c) => kept[c]);
  const r = makeSparseResult({
    solution: { X: solved.X, activeColumns, gainActive: G.pickCols(solved.columns), nOrient: prep.nOrient },
    rescaling: { sourceWeighting: prep.sourceWeighting, alphaScale: solved.alphaScale, Vh: null },
    M,
    geometry: sourceGeometry(prep.forward),
    evoked,
    pickOri,
    residualGain: { chNames: prep.chNames, gainActive: prep.gainColumns(activeColumns) },
  });
  return {
    result: { dipoles: r.dipoles, stc: r.stc, residual: r.residual as Evoked, explainedVariance: r.explainedVariance, times: evoked.times },
    warnings: r.warnings,
  };
}
