/** Runs MNE-Python 1.3 (/usr/bin/python3) for read-back checks (suites call helpers/python.ts requireMne). */
import { spawnSync } from 'node:child_process';
import { PYTHON } from '../helpers/python.js';

/** Runs a Python snippet with `args` (JSON) on stdin as `args`; the snippet prints one JSON value. */
export function runMne(code: string, args: unknown): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  const script = `import sys, json\nargs = json.load(sys.stdin)\n${code}`;
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(args), encoding: 'utf8', timeout: 120000, maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}
