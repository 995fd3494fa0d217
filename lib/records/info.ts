/** Measurement info, as MNE's `Info` (the fields mxne uses). Values are as stored in the FIF file. */
import type { Matrix } from '../linalg/matrix.js';

/** MNE's channel type names (mne.io.pick.channel_type). */
export type ChannelType = 'grad' | 'mag' | 'eeg' | 'stim' | 'eog' | 'ecg' | 'emg' | 'misc' | 'ref_meg' | 'other';

export interface ChannelInfo {
  name: string;
  /** FIFFV_*_CH kind (1 MEG, 2 EEG, 3 STIM, 202 EOG, …). */
  kind: number;
  type: ChannelType;
  coilType: number;
  unit: number;
  unitMul: number;
  cal: number;
  range: number;
  logNo: number;
  scanNo: number;
  /** 12 numbers: position (3), then ex, ey, ez (coil orientation axes), as MNE's `loc`. */
  loc: Float64Array;
  coordFrame: number;
}

/** A coordinate transform: `trans` (4×4) maps points from frame `from` to frame `to`. */
export interface Transform {
  from: number;
  to: number;
  trans: Matrix;
}

/** An SSP projector: `data` has one row per vector over the channels in `colNames`. */
export interface Projection {
  desc: string;
  kind: number;
  active: boolean;
  colNames: string[];
  data: Matrix;
}

export interface Info {
  chs: ChannelInfo[];
  chNames: string[];
  nchan: number;
  bads: string[];
  projs: Projection[];
  sfreq: number;
  highpass: number;
  lowpass: number;
  devHeadT: Transform | null;
  /** CTF compensation grade in use (0 when none). */
  compGrade: number;
}
