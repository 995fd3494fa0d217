/** Locates ../shared (fixtures, subjects) and lets suites skip visibly when it is absent. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../lib/native.js';
import { skipSuite } from './skips.js';

/** The shared folder (the one holding fixtures/ and subjects/): $MXNE_SHARED, else ../shared. */
export const SHARED = process.env.MXNE_SHARED ? path.resolve(process.env.MXNE_SHARED) : path.resolve(packageRoot(), '..', 'shared');
export const FIXTURES = path.join(SHARED, 'fixtures');
export const SUBJECTS = path.join(SHARED, 'subjects');

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

export const haveFixtures = fs.existsSync(path.join(FIXTURES, 'README.md'));

const HOW = 'To run them, point MXNE_SHARED at the folder holding fixtures/ (MXNE_SHARED=/path/to/shared npm test); the default is ../shared.';

/** Call inside describe(): skips the suite when the fixtures are absent (reported at the end of the run). */
export function requireFixtures(ctx: Mocha.Suite): void {
  if (!haveFixtures) skipSuite(ctx, `fixtures not found at ${FIXTURES}`, HOW);
}

export const haveSubjects = fs.existsSync(path.join(SUBJECTS, 'README.md'));

/** Call inside describe(): skips the suite when ../shared/subjects is absent (reported at the end of the run). */
export function requireSubjects(ctx: Mocha.Suite): void {
  if (!haveSubjects) skipSuite(ctx, `subjects not found at ${SUBJECTS}`, HOW);
}
