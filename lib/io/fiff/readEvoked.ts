/** readEvoked: one data set of a -ave.fif file, as MNE's `read_evokeds(fname, condition, baseline, proj)`. */
import { InputError } from '../../errors.js';
import { Matrix } from '../../linalg/matrix.js';
import { Evoked, pythonRound } from '../../records/evoked.js';
import type { ChannelInfo, Info } from '../../records/info.js';
import { FIFF } from './constants.js';
import { readExtendedChInfo, renameList } from './extendedChInfo.js';
import { openFiff, type FiffFile } from './fiffFile.js';
import { requireBlock } from './fiffKind.js';
import { readMeasInfo } from './info.js';
import { tagColumnMajor, tagMatrix } from './matrixTag.js';
import { applyProjectors } from './projector.js';
import { tagChInfo } from './structs.js';
import { tagInt, tagNumber, tagString } from './tag.js';
import { findNodes, type FiffNode } from './tree.js';
import { requireUniqueNames } from './uniqueNames.js';

export interface ReadEvokedOptions {
  /** Data set by comment (e.g. 'Left Auditory') or index; may be omitted when the file holds one. */
  condition?: string | number;
  /** Baseline interval in s (null ends = the data's edges); default none, as the file stores it. */
  baseline?: [number | null, number | null] | null;
  /** Apply projectors that are not yet active, as MNE (default true). */
  proj?: boolean;
}

function aspectOf(f: FiffFile, node: FiffNode): FiffNode {
  const aspects = findNodes(node, FIFF.FIFFB_ASPECT);
  if (aspects.length === 0) f.fail(node.pos, null, 'expected a data aspect block (FIFFB_ASPECT) in the evoked block');
  return aspects[0];
}

/** The comment of the evoked block itself: what MNE matches a condition name against. */
function blockComment(f: FiffFile, node: FiffNode): string | null {
  let comment: string | null = null;
  for (const e of node.directory) if (e.kind === FIFF.FIFF_COMMENT) comment = tagString(f, e);
  return comment;
}

/** The data set's comment as MNE reports it: the aspect's comment, else the block's, else 'No comment'. */
function commentOf(f: FiffFile, node: FiffNode): string {
  let comment = blockComment(f, node) ?? 'No comment';
  for (const e of aspectOf(f, node).directory) if (e.kind === FIFF.FIFF_COMMENT) comment = tagString(f, e);
  return comment;
}

function aspectKindOf(f: FiffFile, node: FiffNode): number {
  let kind = -1;
  for (const e of aspectOf(f, node).directory) if (e.kind === FIFF.FIFF_ASPECT_KIND) kind = tagInt(f, e);
  return kind;
}

function pickCondition(f: FiffFile, nodes: FiffNode[], condition: string | number | undefined): FiffNode {
  const list = () => nodes.map((n) => `"${blockComment(f, n)}"`).join(', ');
  if (typeof condition === 'string') {
    const hits = nodes.filter((n) => blockComment(f, n) === condition && aspectKindOf(f, n) === FIFF.FIFFV_ASPECT_AVERAGE);
    if (hits.length !== 1) throw new InputError('condition', `one of the conditions in ${f.path}: ${list()} (or an index from 0)`, `"${condition}"`);
    return hits[0];
  }
  if (condition === undefined) {
    if (nodes.length > 1) throw new InputError('condition', `a condition name or index (file holds ${list()})`, 'none');
    return nodes[0];
  }
  if (!Number.isInteger(condition) || condition < 0 || condition >= nodes.length) {
    throw new InputError('condition', `an index in [0, ${nodes.length - 1}] or a name among the conditions in ${f.path}: ${list()}`, String(condition));
  }
  return nodes[condition];
}

interface EvokedHeader {
  first: number | null; last: number | null; nchan: number; sfreq: number; chs: ChannelInfo[];
  firstTime: number | null; nsamp: number | null; bmin: number | null; bmax: number | null;
}

function readHeaderTags(f: FiffFile, node: FiffNode): EvokedHeader {
  const h: EvokedHeader = { first: null, last: null, nchan: 0, sfreq: -1, chs: [], firstTime: null, nsamp: null, bmin: null, bmax: null };
  for (const e of node.directory) {
    switch (e.kind) {
      case FIFF.FIFF_FIRST_SAMPLE: h.first = tagInt(f, e); break;
      case FIFF.FIFF_LAST_SAMPLE: h.last = tagInt(f, e); break;
      case FIFF.FIFF_NCHAN: h.nchan = tagInt(f, e); break;
      case FIFF.FIFF_SFREQ: h.sfreq = tagNumber(f, e); break;
      case FIFF.FIFF_CH_INFO: h.chs.push(tagChInfo(f, e)); break;
      case FIFF.FIFF_FIRST_TIME: h.firstTime = tagNumber(f, e); break;
      case FIFF.FIFF_NO_SAMPLES: h.nsamp = tagInt(f, e); break;
      case FIFF.FIFF_MNE_BASELINE_MIN: h.bmin = tagNumber(f, e); break;
      case FIFF.FIFF_MNE_BASELINE_MAX: h.bmax = tagNumber(f, e); break;
    }
  }
  return h;
}

/** The epoch tags of the aspect as one nchan × nsamp (column-major) matrix. */
function readEpochs(f: FiffFile, aspect: FiffNode, nchan: number): Matrix {
  const epochs = aspect.directory.filter((e) => e.kind === FIFF.FIFF_EPOCH);
  if (epochs.length === 1) {
    const m = tagColumnMajor(f, epochs[0]);
    // One channel stored as a column: the same values as one row (a vector in either layout).
    return m.cols === 1 && nchan === 1 ? new Matrix(1, m.rows, m.data) : m;
  }
  if (epochs.length !== nchan || nchan === 0) f.fail(aspect.pos, FIFF.FIFF_EPOCH, `expected 1 or ${nchan} epoch tags, found ${epochs.length}`);
  const rows = epochs.map((e) => tagMatrix(f, e).data);
  const n = rows[0].length;
  if (rows.some((r) => r.length !== n)) f.fail(aspect.pos, FIFF.FIFF_EPOCH, 'expected epoch tags of equal length');
  const out = new Matrix(nchan, n);
  rows.forEach((r, i) => { for (let k = 0; k < n; k++) out.data[i + k * nchan] = r[k]; });
  return out;
}

/** The condition of each data set of a -ave.fif file, in file order (null: no comment; `condition` then takes the index). */
export async function readConditionNames(path: string): Promise<Array<string | null>> {
  const f = await openFiff(path);
  requireBlock(f, FIFF.FIFFB_EVOKED, 'evoked data (-ave.fif)');
  return findNodes(readMeasInfo(f).meas, FIFF.FIFFB_EVOKED).map((n) => blockComment(f, n));
}

export async function readEvoked(path: string, options: ReadEvokedOptions = {}): Promise<Evoked> {
  return readEvokedFrom(await openFiff(path), options);
}

/** readEvoked on an opened file. */
export function readEvokedFrom(f: FiffFile, options: ReadEvokedOptions = {}): Evoked {
  requireBlock(f, FIFF.FIFFB_EVOKED, 'evoked data (-ave.fif)');
  const { info: measInfo, meas } = readMeasInfo(f);
  if (findNodes(meas, FIFF.FIFFB_PROCESSED_DATA).length === 0) f.fail(meas.pos, null, 'expected processed data (an evoked file)');
  const nodes = findNodes(meas, FIFF.FIFFB_EVOKED);
  if (nodes.length === 0) f.fail(meas.pos, null, 'expected at least one evoked data set (FIFFB_EVOKED)');
  const node = pickCondition(f, nodes, options.condition);
  const h = readHeaderTags(f, node);
  let info: Info = measInfo;
  if (h.nchan > 0) {
    if (h.chs.length !== h.nchan) f.fail(node.pos, FIFF.FIFF_CH_INFO, `expected ${h.nchan} channel definitions in the evoked block, found ${h.chs.length}`);
    const rename = readExtendedChInfo(f, node, h.chs);
    info = { ...info, chs: h.chs, chNames: h.chs.map((c) => c.name), nchan: h.nchan, bads: renameList(info.bads, rename), sfreq: h.sfreq > 0 ? h.sfreq : info.sfreq };
  }
  // MNE reads evoked files with clean_bads=True: bads that are not channels are dropped.
  info = { ...info, bads: info.bads.filter((b) => info.chNames.includes(b)) };
  requireUniqueNames(f, node.pos, FIFF.FIFF_CH_INFO, info.chNames, 'the evoked data');
  const aspect = aspectOf(f, node);
  let nave = 1;
  let aspectKind = FIFF.FIFFV_ASPECT_AVERAGE as number;
  for (const e of aspect.directory) {
    if (e.kind === FIFF.FIFF_NAVE) nave = tagInt(f, e);
    else if (e.kind === FIFF.FIFF_ASPECT_KIND) aspectKind = tagInt(f, e);
  }
  const data = readEpochs(f, aspect, info.nchan);
  if (data.rows !== info.nchan) f.fail(aspect.pos, FIFF.FIFF_EPOCH, `expected ${info.nchan} data rows (one per channel), found ${data.rows}`);
  return finishEvoked(f, node, info, data, h, nave, aspectKind, commentOf(f, node), options);
}

function finishEvoked(
  f: FiffFile, node: FiffNode, info: Info, data: Matrix, h: EvokedHeader, nave: number, aspectKind: number, comment: string, options: ReadEvokedOptions,
): Evoked {
  let originTime: number;
  let nsamp: number;
  if (h.firstTime !== null && h.nsamp !== null) [originTime, nsamp] = [h.firstTime, h.nsamp];
  else if (h.first !== null && h.last !== null) [originTime, nsamp] = [h.first / info.sfreq, h.last - h.first + 1];
  else return f.fail(node.pos, FIFF.FIFF_FIRST_SAMPLE, 'expected the first sample and time (time parameters)');
  if (data.cols !== nsamp) f.fail(node.pos, FIFF.FIFF_NO_SAMPLES, `expected ${nsamp} samples, found ${data.cols}`);
  // Calibrate, as MNE: data *= cal per channel.
  calibrate(data, Float64Array.from(info.chs, (c) => c.cal));
  // MNE: first = int(round(times[0] * sfreq)).
  const first = pythonRound(originTime * info.sfreq);
  const timing = h.firstTime !== null ? { originTime, originSample: first } : null;
  const kind = aspectKind === FIFF.FIFFV_ASPECT_STD_ERR ? 'standard_error' : 'average';
  const fileBaseline: [number, number] | null = h.bmin !== null && h.bmax !== null ? [h.bmin, h.bmax] : null;
  let evoked = new Evoked(info, data, first, nave, comment, kind, timing, fileBaseline);
  if (options.proj ?? true) evoked = namingFile(f, () => applyProjectors(evoked));
  const baseline = options.baseline;
  if (baseline) evoked = namingFile(f, () => evoked.applyBaseline(baseline));
  return evoked;
}

/** Each row of `data` times its channel's factor, in place, in storage order. */
function calibrate(data: Matrix, cal: Float64Array): void {
  const d = data.data, n = data.rows;
  for (let k = 0, o = 0; k < data.cols; k++) for (let i = 0; i < n; i++, o++) d[o] *= cal[i];
}

/** Runs a step on what the file holds (its projectors, its times); an InputError then names the file. */
function namingFile(f: FiffFile, step: () => Evoked): Evoked {
  try {
    return step();
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${e.field} of ${f.path}`, e.expected, e.received);
    throw e;
  }
}
