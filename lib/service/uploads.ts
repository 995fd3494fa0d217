/**
 * A job posted as multipart/form-data: the three FIF files (parts `fwd`, `evoked`, `cov`) and an
 * optional `options` part holding the options as JSON. Files are streamed into
 * <results>/<id>/upload under fixed names (the client's file name is never a path here), each
 * bounded by --max-upload-mb, and must be FIF files of the right kind before the job is queued.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { FiffError, InputError } from '../errors.js';
import { FIFF } from '../io/fiff/constants.js';
import { openFiff } from '../io/fiff/fiffFile.js';
import { requireBlock } from '../io/fiff/fiffKind.js';
import { didYouMean } from '../sparse/mixedNormOptions.js';

const FILES = {
  fwd: { block: FIFF.FIFFB_MNE_FORWARD_SOLUTION, want: 'a forward solution (-fwd.fif)' },
  evoked: { block: FIFF.FIFFB_EVOKED, want: 'evoked data (-ave.fif)' },
  cov: { block: FIFF.FIFFB_MNE_COV, want: 'a covariance (-cov.fif)' },
} as const;
type FileField = keyof typeof FILES;
const PARTS = [...Object.keys(FILES), 'options'];

export interface Upload {
  files: Record<FileField, string>;
  /** The client's file names (for messages and the job's view). */
  names: Record<FileField, string>;
  options: Record<string, unknown>;
}

/** The part is too big: answered 413, naming it. */
export class UploadTooLargeError extends InputError {
  constructor(field: string, limitBytes: number) {
    super(field, `a file of at most ${limitBytes} bytes`, 'a larger file');
  }
}

const baseName = (s: string | undefined) => path.basename(s ?? '').replace(/[^\w.+-]/g, '_').slice(-100) || 'upload.fif';

export async function receiveUpload(req: FastifyRequest, dir: string, limitBytes: number): Promise<Upload> {
  await fs.promises.mkdir(dir, { recursive: true });
  const files: Partial<Record<FileField, string>> = {};
  const names: Partial<Record<FileField, string>> = {};
  let options: Record<string, unknown> = {};
  for await (const part of req.parts()) {
    const field = part.fieldname;
    if (!PARTS.includes(field)) throw new InputError(field, `a part named ${PARTS.join(', ')}`, `"${field}"${didYouMean(field, PARTS)}`);
    if (part.type === 'field') {
      if (field !== 'options') throw new InputError(field, 'a file part', 'a text field');
      try {
        options = JSON.parse(String(part.value)) as Record<string, unknown>;
      } catch (e) {
        throw new InputError('options', 'a JSON object', 'text that is not JSON', (e as Error).message);
      }
      if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new InputError('options', 'a JSON object', JSON.stringify(options));
      continue;
    }
    if (field === 'options') throw new InputError('options', 'a text field holding JSON', 'a file');
    const f = field as FileField;
    if (files[f] !== undefined) throw new InputError(f, 'one file', 'two');
    names[f] = baseName(part.filename);
    files[f] = path.join(dir, `${f}${names[f]!.endsWith('.gz') ? '.fif.gz' : '.fif'}`);
    await pipeline(part.file, fs.createWriteStream(files[f]!));
    if (part.file.truncated) throw new UploadTooLargeError(f, limitBytes);
  }
  for (const f of Object.keys(FILES) as FileField[]) if (files[f] === undefined) throw new InputError(f, `${FILES[f].want} as a file part named "${f}"`, 'nothing');
  await Promise.all((Object.keys(FILES) as FileField[]).map((f) => checkKind(f, files[f]!, names[f]!)));
  return { files: files as Upload['files'], names: names as Upload['names'], options };
}

/** Reads the file's FIF tree: it must be FIF, and hold the block its part promises. */
async function checkKind(field: FileField, file: string, name: string): Promise<void> {
  try {
    requireBlock(await openFiff(file), FILES[field].block, FILES[field].want);
  } catch (e) {
    if (e instanceof FiffError) throw new InputError(field, FILES[field].want, JSON.stringify(name), e.reason);
    throw e;
  }
}
