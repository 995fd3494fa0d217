/** Runs MNE-Python 1.3 (/usr/bin/python3) for read-back checks; suites skip visibly without it. */
import { spawnSync } from 'node:child_process';

const PYTHON = process.env.MXNE_PYTHON ?? '/usr/bin/python3';
let available: boolean | null = null;

export function haveMne(): boolean {
  if (available === null) {
    const r = spawnSync(PYTHON, ['-c', 'import mne'], { encoding: 'utf8', timeout: 60000 });
    available = r.status === 0;
  }
  return available;
}

/** Call inside describe(): skips the suite with a visible reason when `import mne` fails. */
export function requireMne(ctx: Mocha.Suite): void {
  ctx.beforeAll(function () {
    if (!haveMne()) {
      console.log(`      [skip] ${PYTHON} cannot import mne: MNE read-back tests skipped`);
      this.skip();
    }
  });
}

/** Runs a Python snippet with `args` (JSON) on stdin as `args`; the snippet prints one JSON value. */
export function runMne(code: string, args: unknown): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  const script = `import sys, json\nargs = json.load(sys.stdin)\n${code}`;
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(args), encoding: 'utf8', timeout: 120000, maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}
