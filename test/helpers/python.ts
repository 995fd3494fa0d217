/** Runs MNE-Python (Debian's python3-mne) for cross-checks; suites skip visibly when it is absent. */
import { execFileSync, spawnSync } from 'node:child_process';
import { skipSuite } from './skips.js';

export const PYTHON = process.env.MXNE_PYTHON ?? '/usr/bin/python3';

let cached: boolean | undefined;
export function haveMne(): boolean {
  if (cached === undefined) cached = spawnSync(PYTHON, ['-c', 'import mne'], { stdio: 'ignore' }).status === 0;
  return cached;
}

/** Call inside describe(): skips the suite when `import mne` fails (reported at the end of the run). */
export function requireMne(ctx: Mocha.Suite): void {
  if (!haveMne()) skipSuite(ctx, `${PYTHON} cannot import mne`, 'To run them: apt-get install python3-mne (or point MXNE_PYTHON at a python with mne).');
}

/** Runs a Python script and parses the JSON it prints on its last stdout line. */
export function runPythonJson<T>(script: string): T {
  const out = execFileSync(PYTHON, ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, MNE_LOGGING_LEVEL: 'ERROR' } });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}
