/** Locates ../shared (fixtures, subjects) and lets suites skip visibly when it is absent. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../lib/native.js';

export const SHARED = process.env.MXNE_SHARED ?? path.resolve(packageRoot(), '..', 'shared');
export const FIXTURES = path.join(SHARED, 'fixtures');
export const SUBJECTS = path.join(SHARED, 'subjects');

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

export const haveFixtures = fs.existsSync(path.join(FIXTURES, 'README.md'));

/** Call inside describe(): skips the suite with a visible reason when ../shared/fixtures is absent. */
export function requireFixtures(ctx: Mocha.Suite): void {
  if (!haveFixtures) {
    ctx.beforeAll(function () {
      console.log(`      [skip] ${FIXTURES} not found: fixture conformance tests skipped`);
      this.skip();
    });
  }
}
