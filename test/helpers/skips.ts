/**
 * Skipped suites, reported once at the end of the run: one line per missing requirement saying
 * which test files were skipped and how to get them, instead of a scattered line per suite.
 */
import * as path from 'node:path';

const skipped = new Map<string, { how: string; files: Set<string> }>();

// Registered when the first spec file imports this module, at its top level: a root hook, run once
// after everything.
if (typeof after === 'function') {
  after(() => {
    for (const [what, e] of skipped) console.log(`  [skipped] ${what}: ${e.files.size} test file(s) skipped (${[...e.files].sort().join(', ')}). ${e.how}`);
  });
}

/** Records that the suite in `file` was skipped because `what` is missing; `how` says how to get it. */
export function recordSkip(what: string, how: string, file: string | undefined): void {
  const entry = skipped.get(what) ?? { how, files: new Set<string>() };
  entry.files.add(file ? path.basename(file).replace(/\.test\.js$/, '') : '(unknown file)');
  skipped.set(what, entry);
}

/**
 * Call inside describe(), before its hooks: skips the suite for want of `what` (recorded as
 * recordSkip does). The suite is pending as with describe.skip, so its hooks do not run either: a
 * before-all hook calling this.skip() still lets the after-all hooks run, and they met state their
 * before hook never set.
 */
export function skipSuite(ctx: Mocha.Suite, what: string, how: string): void {
  recordSkip(what, how, ctx.file);
  ctx.pending = true;
}
