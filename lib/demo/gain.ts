/**
 * The demo's measurement info and its free-orientation gain: MEG rows (Sarvas sphere field over
 * the coils' integration points) then EEG rows (Berg–Scherg multi-shell sphere), three columns
 * (x, y, z in head coordinates) per source, as MNE's make_forward_solution with a sphere model.
 */
import { Matrix } from '../linalg/matrix.js';
import type { Forward } from '../records/forward.js';
import type { ChannelInfo, Info, Projection, Transform } from '../records/info.js';
import type { SourceSpace } from '../records/sourceSpace.js';
import { FIFF } from '../io/fiff/constants.js';
import { fitBergScherg, sphereEegGain, type BergParams } from './eegSphere.js';
import { demoDevHeadT, HEAD_ORIGIN, makeEegCap, makeHelmet, megCoilPoints, type CoilAccuracy } from './helmet.js';
import { sphereMegGain } from './sarvas.js';
import { usedPoints } from './cortex.js';

let berg: BergParams | null = null;
/** MNE's default four-shell sphere, fitted once. */
export function demoBerg(): BergParams {
  berg ??= fitBergScherg();
  return berg;
}

/** MNE's `make_eeg_average_ref_proj` over `names`, inactive as in MNE's sample data. */
export function averageReferenceProj(names: string[]): Projection {
  const v = 1 / Math.sqrt(names.length);
  return { desc: 'Average EEG reference', kind: FIFF.FIFFV_PROJ_ITEM_EEG_AVREF, active: false, colNames: names, data: new Matrix(1, names.length, new Float64Array(names.length).fill(v)) };
}

/** 306 MEG channels and (with `eeg`) 60 EEG channels, the device→head transform and the EEG average reference projector. */
export function makeDemoInfo(o: { eeg?: boolean; sfreq?: number } = {}): Info {
  const chs: ChannelInfo[] = [...makeHelmet(), ...(o.eeg === false ? [] : makeEegCap())].map((c, k) => ({ ...c, scanNo: k + 1 }));
  const eegNames = chs.filter((c) => c.kind === FIFF.FIFFV_EEG_CH).map((c) => c.name);
  const sfreq = o.sfreq ?? 600;
  return {
    chs, chNames: chs.map((c) => c.name), nchan: chs.length, bads: [], projs: eegNames.length > 0 ? [averageReferenceProj(eegNames)] : [],
    sfreq, highpass: 0, lowpass: sfreq / 2, devHeadT: demoDevHeadT(), compGrade: 0,
  };
}

/**
 * The gain (nchan × 3n, rows in `info.chs` order, MEG then EEG) of sources at `rr` (head
 * coordinates, 3 per source). `accuracy` 'accurate' integrates over MNE's accurate coil definitions
 * (as make_forward_solution); 'point' uses one point per magnetometer and two per gradiometer (faster).
 */
export function sphereGain(info: Info, rr: Float64Array, accuracy: CoilAccuracy = 'accurate'): Matrix {
  const n = rr.length / 3;
  const meg = info.chs.filter((c) => c.kind === FIFF.FIFFV_MEG_CH);
  const eeg = info.chs.filter((c) => c.kind === FIFF.FIFFV_EEG_CH);
  if (meg.length + eeg.length !== info.nchan || info.chs.some((c, k) => c.kind === FIFF.FIFFV_EEG_CH && k < meg.length)) {
    throw new Error('sphereGain expects MEG channels first, then EEG channels, and nothing else');
  }
  const ld = info.nchan;
  const out = new Float64Array(ld * 3 * n);
  if (meg.length > 0) sphereMegGain(rr, megCoilPoints(meg, info.devHeadT as Transform, accuracy), HEAD_ORIGIN, out, ld, 0);
  if (eeg.length > 0) {
    const el = new Float64Array(3 * eeg.length);
    eeg.forEach((c, k) => el.set(c.loc.subarray(0, 3), 3 * k));
    sphereEegGain(rr, el, HEAD_ORIGIN, demoBerg(), out, ld, meg.length);
  }
  return new Matrix(ld, 3 * n, out);
}

/** The identity MRI→head transform of the demo's source space. */
export function identityMriHeadT(): Transform {
  return { from: FIFF.FIFFV_COORD_MRI, to: FIFF.FIFFV_COORD_HEAD, trans: Matrix.identity(4) };
}

/** A free-orientation Forward record (head coordinates) over the used vertices of `src`. */
export function makeForward(info: Info, src: SourceSpace[], accuracy: CoilAccuracy = 'accurate'): Forward {
  const { rr } = usedPoints(src);
  const n = rr.length / 3;
  const sourceNn = new Matrix(3 * n, 3);
  for (let i = 0; i < 3 * n; i++) sourceNn.set(i, i % 3, 1);
  const fwdInfo: Info = { ...info, projs: [], sfreq: NaN, highpass: NaN, lowpass: NaN };
  return {
    sol: sphereGain(info, rr, accuracy), chNames: [...info.chNames], info: fwdInfo, src, sourceOri: FIFF.FIFFV_MNE_FREE_ORI, surfOri: false,
    coordFrame: FIFF.FIFFV_COORD_HEAD, nsource: n, nchan: info.nchan, sourceRr: Matrix.fromRowMajor(n, 3, rr), sourceNn, mriHeadT: identityMriHeadT(),
  };
}
