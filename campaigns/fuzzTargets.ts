/**
 * The fuzz campaign's targets: every reader of mxne with its seed files, made by the demo
 * generator's pieces and mxne's writers (files MNE reads), small so that 100,000 mutants per
 * reader run in minutes. The FIF, .stc and .dip/.bdip targets are here; FreeSurfer files, batch
 * manifests, --bids discovery and job requests have their own modules. A mutant's allowed outcomes
 * are a read, or a typed error naming the file (FiffError and FreeSurferError also carry the byte
 * offset); anything else is a failure.
 */
import * as zlib from 'node:zlib';
import { averageReferenceProj } from '../lib/demo/gain.js';
import { demoCovariance, makeCortex, makeDemoInfo, makeForward } from '../lib/demo/index.js';
import { FiffError, FreeSurferError, InputError } from '../lib/errors.js';
import { decodeBdip, encodeBdip } from '../lib/io/bdip.js';
import type { DipoleTable } from '../lib/io/dipoleTable.js';
import { decodeDip, encodeDip } from '../lib/io/dipText.js';
import { fiffFromBuffer, parseFiff } from '../lib/io/fiff/fiffFile.js';
import { readMeasInfo } from '../lib/io/fiff/info.js';
import { readCovFrom } from '../lib/io/fiff/readCov.js';
import { readEvokedFrom } from '../lib/io/fiff/readEvoked.js';
import { readForwardFrom } from '../lib/io/fiff/readForward.js';
import { readSourceSpacesFromTree } from '../lib/io/fiff/readSourceSpaces.js';
import { encodeCov } from '../lib/io/fiff/writeCov.js';
import { encodeEvoked } from '../lib/io/fiff/writeEvoked.js';
import { encodeForward } from '../lib/io/fiff/writeForward.js';
import { decodeStc, encodeStc } from '../lib/io/stc.js';
import { Matrix } from '../lib/linalg/matrix.js';
import { Evoked } from '../lib/records/evoked.js';
import type { ChannelInfo, Info } from '../lib/records/info.js';
import { bidsTarget } from './bidsTarget.js';
import { freesurferTargets } from './freesurferTargets.js';
import { manifestTargets } from './manifestTargets.js';
import { serviceTarget } from './serviceTarget.js';

export interface Target {
  name: string;
  /** The file name errors must carry. */
  file: string;
  seeds: Buffer[];
  /** Offsets worth mutating more often than others (tag headers, matrix dims, header fields). */
  hot: number[][];
  text: boolean;
  read: (bytes: Buffer) => unknown;
  /** The compiled modules whose coverage the campaign reports (the reader's own code). */
  covers: RegExp;
  /** Words token replacements draw from, and what separates words (text formats; mutate.ts). */
  tokens?: readonly string[];
  separator?: RegExp;
  /** Errors this target counts as typed besides mxne's own (the service's 4xx answers). */
  typed?: (error: unknown) => boolean;
  /** Removes what the reads needed (a scratch folder, a server). */
  close?: () => Promise<void>;
}

/** Small sines, so values are not all one pattern. */
function data(rows: number, cols: number, phase: number): Matrix {
  return new Matrix(rows, cols, Float64Array.from({ length: rows * cols }, (_, k) => 1e-12 * Math.sin(phase + 0.37 * k)));
}

function fifHot(bytes: Buffer): number[] {
  const hot: number[] = [];
  for (const e of parseFiff('seed', bytes).directory) {
    hot.push(e.pos, e.pos + 8, e.pos + 16);
    if (e.size >= 16) hot.push(e.pos + 16 + e.size - 4, e.pos + 16 + e.size - 8, e.pos + 16 + e.size - 12);
  }
  return hot;
}

function table(n: number): DipoleTable {
  const pos = new Matrix(n, 3), ori = new Matrix(n, 3);
  for (let k = 0; k < n; k++) {
    pos.set(k, 0, 0.01 * k); pos.set(k, 1, -0.02); pos.set(k, 2, 0.05 + 0.001 * k);
    ori.set(k, k % 3, 1);
  }
  return {
    times: Float64Array.from({ length: n }, (_, k) => 0.01 * k), pos, ori, name: 'fuzz',
    amplitude: Float64Array.from({ length: n }, (_, k) => 1e-8 * (k + 1)), gof: Float64Array.from({ length: n }, (_, k) => 10 * k),
    khi2: null, nfree: null,
  };
}

/** lib/io/fiff without its writers, and the shared input reader. */
const FIF_READERS = /[\\/]lib[\\/]io[\\/](fiff[\\/](?!write)[^\\/]+|readInputFile)\.js$/;
const ioModule = (name: string) => new RegExp(`[\\\\/]lib[\\\\/]io[\\\\/]${name}\\.js$`);

/** All targets with their seeds; `names` picks some. */
export function makeTargets(names?: readonly string[]): Target[] {
  // Channel subsets of the demo's helmet and cap keep each read to a few ms (the 366-channel
  // projector alone costs more than the rest of a read).
  const full = makeDemoInfo({ eeg: true });
  const subset = (keep: (c: ChannelInfo, k: number) => boolean): Info => {
    const chs = full.chs.filter(keep);
    const eeg = chs.filter((c) => c.type === 'eeg').map((c) => c.name);
    return { ...full, chs, chNames: chs.map((c) => c.name), nchan: chs.length, projs: eeg.length > 0 ? [averageReferenceProj(eeg)] : [] };
  };
  const info = subset((c, k) => c.type === 'eeg' || k < 24);
  const meg = subset((c, k) => c.type !== 'eeg' && k % 8 === 0);
  const evokeds = [
    encodeEvoked(new Evoked(info, data(info.nchan, 6, 0), -2, 30, 'Demo')),
    encodeEvoked(new Evoked({ ...meg, bads: [meg.chNames[3]] }, data(meg.nchan, 4, 1), 0, 1, 'Other')),
  ];
  const covs = [encodeCov(demoCovariance(info)), encodeCov({ ...demoCovariance(meg), diag: false, bads: [meg.chNames[0]] })];
  const fwd = makeForward(info, makeCortex(6, 3), 'point');
  const forwards = [encodeForward(fwd), encodeForward(makeForward(meg, makeCortex(4, 5), 'point'))];
  const stcs = [
    Buffer.from(encodeStc(-0.1, 0.002, Int32Array.from([3, 17, 40]), data(3, 5, 2))),
    Buffer.from(encodeStc(0, 0.001, new Int32Array(0), new Matrix(0, 5))),
  ];
  const dips = [Buffer.from(encodeDip(table(3))), Buffer.from(encodeDip({ ...table(1), name: null }))];
  const bdips = [Buffer.from(encodeBdip(table(3)))];
  const all: Target[] = [
    { name: 'fif-evoked', file: 'fuzz-ave.fif', seeds: evokeds, text: false, hot: [], read: async (b) => readEvokedFrom(await fiffFromBuffer('fuzz-ave.fif', b), { baseline: [null, 0] }), covers: FIF_READERS },
    { name: 'fif-evoked-gz', file: 'fuzz-ave.fif.gz', seeds: evokeds.map((e) => zlib.gzipSync(e)), text: false, hot: [], read: async (b) => readEvokedFrom(await fiffFromBuffer('fuzz-ave.fif.gz', b)), covers: FIF_READERS },
    { name: 'fif-cov', file: 'fuzz-cov.fif', seeds: covs, text: false, hot: [], read: async (b) => readCovFrom(await fiffFromBuffer('fuzz-cov.fif', b)), covers: FIF_READERS },
    { name: 'fif-forward', file: 'fuzz-fwd.fif', seeds: forwards, text: false, hot: [], read: async (b) => readForwardFrom(await fiffFromBuffer('fuzz-fwd.fif', b)), covers: FIF_READERS },
    { name: 'fif-source-spaces', file: 'fuzz-src.fif', seeds: forwards, text: false, hot: [], read: async (b) => readSourceSpacesFromTree(await fiffFromBuffer('fuzz-src.fif', b)), covers: FIF_READERS },
    { name: 'fif-info-transforms', file: 'fuzz-info.fif', seeds: [...evokeds, forwards[0]], text: false, hot: [], read: async (b) => readMeasInfo(await fiffFromBuffer('fuzz-info.fif', b)), covers: FIF_READERS },
    { name: 'stc', file: 'fuzz-lh.stc', seeds: stcs, text: false, hot: stcs.map((s) => [0, 4, 8, 12, 16, s.length - 4 * 15 - 4]), read: (b) => decodeStc(b, 'fuzz-lh.stc'), covers: ioModule('stc') },
    { name: 'dip', file: 'fuzz.dip', seeds: dips, text: true, hot: [], read: (b) => decodeDip(b.toString('utf8'), 'fuzz.dip'), covers: ioModule('dipText') },
    { name: 'bdip', file: 'fuzz.bdip', seeds: bdips, text: false, hot: bdips.map(() => [0, 4, 24, 36, 48, 184, 196]), read: (b) => decodeBdip(b, 'fuzz.bdip'), covers: ioModule('bdip') },
  ];
  // Discovery reads only the condition names: three channels keep its target's reads short.
  const tiny = subset((c, k) => c.type !== 'eeg' && k < 3);
  const twoConditions = encodeEvoked([new Evoked(tiny, data(3, 4, 1), 0, 1, 'Demo'), new Evoked(tiny, data(3, 4, 2), 0, 1, 'Demo 2')]);
  all.push(...freesurferTargets(), ...manifestTargets(), bidsTarget(twoConditions), serviceTarget());
  for (const t of all) if (t.hot.length === 0) t.hot = t.name.endsWith('-gz') ? t.seeds.map(() => [0, 10]) : t.seeds.map((s) => (t.text ? [] : fifHot(s)));
  return names === undefined ? all : all.filter((t) => names.includes(t.name));
}

/** null when the outcome is allowed; else a one-line signature of the failure (for uniqueness). */
export function judge(t: Target, error: unknown): string | null {
  if (t.typed?.(error)) return null;
  if (error instanceof FreeSurferError) return error.file === t.file ? null : `FreeSurferError naming ${error.file}`;
  if (error instanceof FiffError) return error.file === t.file ? null : `FiffError naming ${error.file}`;
  if (error instanceof InputError) return error.message.includes(t.file) ? null : `InputError not naming the file: ${error.field}: ${error.expected}`;
  const e = error as Error;
  const frame = /\n\s+at ([^\n]*)/.exec(e?.stack ?? '')?.[1]?.replace(/\(.*[\\/](lib|dist)[\\/]/, '(') ?? '';
  return `${e?.name ?? typeof error}: ${String(e?.message ?? error).replace(/\d+/g, 'N').slice(0, 120)} at ${frame}`;
}
