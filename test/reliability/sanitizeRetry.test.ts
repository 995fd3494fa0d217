import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../../lib/native.js';

interface Failure { file: string; title: string; error: string }

/** scripts/tracerCrashRerun.js on a failure list: its exit status and the mocha arguments it printed. */
function rerun(failures: Failure[]): { status: number | null; args: string[] } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-sanitize-')), 'failures.json');
  fs.writeFileSync(file, JSON.stringify(failures));
  try {
    const run = spawnSync(process.execPath, [path.join(packageRoot(), 'scripts', 'tracerCrashRerun.js'), file], { encoding: 'utf8' });
    return { status: run.status, args: run.stdout.split('\0').slice(0, -1) };
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

const TRACER = 'exit code (stderr: Tracer caught signal 11: addr=0xa3a0\n==7144==LeakSanitizer has encountered a fatal error.\n) 1 !== 2';
const crash = (file: string, title: string): Failure => ({ file, title, error: TRACER });

describe('scripts/sanitize.sh: a second run of just the tests LeakSanitizer\'s tracer crash hit', () => {
  it('names those tests, each title matched whole, when every failure is the tracer crash', () => {
    const { status, args } = rerun([
      crash('/r/dist/test/cli/cli.test.js', 'mxne solve: bad input a covariance given as --evoked: what (it) is'),
      crash('/r/dist/test/cli/cli.test.js', 'mxne solve: bad input an evoked given as --fwd'),
      crash('/r/dist/test/cli/manners.test.js', 'manners [x] 1+1'),
    ]);
    assert.equal(status, 0);
    assert.deepEqual(args.slice(0, 4), ['--spec', '/r/dist/test/cli/cli.test.js', '--spec', '/r/dist/test/cli/manners.test.js']);
    assert.equal(args[4], '--grep');
    const grep = new RegExp(args[5]);
    assert.ok(grep.test('mxne solve: bad input a covariance given as --evoked: what (it) is'));
    assert.ok(grep.test('manners [x] 1+1'));
    assert.ok(!grep.test('manners x 11'), 'the title is escaped, not a pattern');
    assert.ok(!grep.test('mxne solve: bad input an evoked given as --fwd, and more'), 'whole titles only');
  });

  it('fails the run for anything else', () => {
    assert.equal(rerun([]).status, 1, 'nothing failed');
    assert.equal(rerun([{ file: 'a.js', title: 't', error: '1 !== 0' }]).status, 1, 'an ordinary failure');
    assert.equal(rerun([crash('a.js', 't'), { file: 'b.js', title: 'u', error: 'ERROR: LeakSanitizer: detected memory leaks' }]).status, 1, 'a leak beside a crash');
    assert.equal(rerun([{ file: 'a.js', title: 't', error: `${TRACER}\nERROR: LeakSanitizer: detected memory leaks` }]).status, 1, 'a leak in the same child');
  });
});
