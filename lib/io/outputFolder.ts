/**
 * A solve's output folder is replaced whole, never updated file by file: the files are written
 * into a fresh staging folder beside it, then the staging folder is renamed into place (the old
 * folder is first renamed aside, then removed). A reader sees the old run, the new run or — for
 * the instant between the two renames, or after a kill there — no folder; never a mix. Leftovers
 * of killed runs (their process is gone) are removed by the next run into the same folder.
 *
 * Folders are created one level at a time: Node 20's recursive mkdir never settles on procfs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors.js';

/** statfs types where files cannot be created even when access() says the folder is writable. */
const PSEUDO_FS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'procfs'], [0x62656572, 'sysfs'], [0x64626720, 'debugfs'], [0x63677270, 'cgroup2'], [0x27e0eb, 'cgroup'], [0x73636673, 'securityfs'],
]);

/** What marks a folder as one mxne wrote (and may therefore replace). */
const MARKER = 'result.json';

function outError(field: string, dir: string, detail: string): InputError {
  return new InputError(field, 'a folder mxne can create, or an empty one, or one it wrote before', dir, detail);
}

async function statOrNull(p: string): Promise<fs.Stats | null> {
  try {
    return await fs.promises.stat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Checks, creating nothing, that `dir` can receive a run: it is new under a writable folder (on
 * a real file system), or it exists and is empty or holds a previous run (a result.json).
 */
export async function checkOutputFolder(dir: string, field = '--out'): Promise<void> {
  const abs = path.resolve(dir);
  try {
    const st = await statOrNull(abs);
    if (st !== null) {
      if (!st.isDirectory()) throw outError(field, dir, 'it exists and is not a folder');
      const entries = await fs.promises.readdir(abs);
      if (entries.length > 0 && !entries.includes(MARKER)) {
        throw outError(field, dir, `it holds files mxne did not write (${entries.slice(0, 3).join(', ')}); a run replaces the whole folder`);
      }
    }
    let parent = path.dirname(abs);
    let pst = await statOrNull(parent);
    while (pst === null && parent !== path.dirname(parent)) {
      parent = path.dirname(parent);
      pst = await statOrNull(parent);
    }
    if (pst === null || !pst.isDirectory()) throw outError(field, dir, `${parent} is not a folder`);
    await fs.promises.access(parent, fs.constants.W_OK);
    const kind = PSEUDO_FS.get(Number((await fs.promises.statfs(parent)).type));
    if (kind !== undefined) throw outError(field, dir, `${parent} is on ${kind}, where files cannot be created`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw outError(field, dir, (e as Error).message);
  }
}

/** mkdir -p without `recursive` (which hangs on procfs in Node 20). */
export async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; (await statOrNull(d)) === null && d !== path.dirname(d); d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) {
    try {
      await fs.promises.mkdir(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Staging and set-aside folders of killed runs into `abs`: `.<name>.mxne-<pid>-<n>.(new|old)`. */
async function removeLeftovers(abs: string): Promise<void> {
  const prefix = `.${path.basename(abs)}.mxne-`;
  for (const e of await fs.promises.readdir(path.dirname(abs))) {
    const m = e.startsWith(prefix) ? /^(\d+)-\w+\.(new|old)$/.exec(e.slice(prefix.length)) : null;
    if (m !== null && !alive(Number(m[1]))) await fs.promises.rm(path.join(path.dirname(abs), e), { recursive: true, force: true });
  }
}

let serial = 0;

/**
 * Runs `fill(staging)` to write a run's files into a fresh folder, then swaps that folder in as
 * `dir`. On failure the staging folder is removed and `dir` is left as it was.
 */
export async function replaceFolder<T>(dir: string, fill: (staging: string) => Promise<T>, field = '--out'): Promise<T> {
  await checkOutputFolder(dir, field);
  const abs = path.resolve(dir);
  const tag = `.${path.basename(abs)}.mxne-${process.pid}-${(serial++).toString(36)}${Date.now().toString(36)}`;
  const staging = path.join(path.dirname(abs), `${tag}.new`);
  const aside = path.join(path.dirname(abs), `${tag}.old`);
  try {
    await makeFolders(path.dirname(abs));
    await removeLeftovers(abs);
    await fs.promises.mkdir(staging);
  } catch (e) {
    throw outError(field, dir, (e as Error).message);
  }
  let setAside = false;
  try {
    const value = await fill(staging);
    try {
      await fs.promises.rename(staging, abs); // atomic when `dir` is new or empty
    } catch (e) {
      if (!['ENOTEMPTY', 'EEXIST'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
      await fs.promises.rename(abs, aside);
      setAside = true;
      await fs.promises.rename(staging, abs);
      await fs.promises.rm(aside, { recursive: true, force: true });
    }
    return value;
  } catch (e) {
    if (setAside && (await statOrNull(abs)) === null) await fs.promises.rename(aside, abs);
    await fs.promises.rm(staging, { recursive: true, force: true });
    throw e;
  }
}
