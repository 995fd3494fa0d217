import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../../lib/native.js';

/** scripts/onlyTracerCrashes.js on a mocha log: 0 (run the sanitizer suite again) or 1. */
function verdict(log: string): number | null {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-sanitize-')), 'mocha.log');
  fs.writeFileSync(file, log);
  try {
    return spawnSync(process.execPath, [path.join(packageRoot(), 'scripts', 'onlyTracerCrashes.js'), file]).status;
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

const TRACER = 'Tracer caught signal 11: addr=0xada8\n==13300==LeakSanitizer has encountered a fatal error.\n';

describe('scripts/sanitize.sh: a second run only for LeakSanitizer tracer crashes', () => {
  it('reruns when every failure is the tracer crash, and for nothing else', () => {
    const failure = (k: number, body: string) => `  ${k}) suite\n       test ${k}:\n\n      AssertionError: ${body}\n\n`;
    assert.equal(verdict(`  674 passing\n  2 failing\n\n${failure(1, TRACER)}${failure(2, `exit code 1: ${TRACER}`)}`), 0);
    assert.equal(verdict('  676 passing (6m)\n'), 1, 'nothing failed');
    assert.equal(verdict(`  675 passing\n  1 failing\n\n${failure(1, '1 !== 0')}`), 1, 'an ordinary failure');
    assert.equal(verdict(`  674 passing\n  2 failing\n\n${failure(1, TRACER)}${failure(2, 'ERROR: LeakSanitizer: detected memory leaks')}`), 1, 'a leak beside a crash');
    // A count that does not match the blocks read (a truncated log) is not trusted.
    assert.equal(verdict(`  674 passing\n  3 failing\n\n${failure(1, TRACER)}${failure(2, TRACER)}`), 1);
  });
});
