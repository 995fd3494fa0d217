import * as assert from 'node:assert/strict';
import { addon, missingExports } from '../../lib/native.js';

describe('native addon load', () => {
  it('names the newest exports a binary built from older sources lacks, and none of the one loaded', () => {
    assert.deepEqual(missingExports({}), ['setMallocReuse', 'setInlineJobs']);
    assert.deepEqual(missingExports({ setInlineJobs: () => {} }), ['setMallocReuse']);
    assert.deepEqual(missingExports(addon), []);
  });
});
