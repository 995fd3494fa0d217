import * as assert from 'node:assert/strict';
import { Matrix } from '../../lib/linalg/matrix.js';
import type { Forward } from '../../lib/records/forward.js';
import type { SourceSpace } from '../../lib/records/sourceSpace.js';
import { locateSource, sourceGeometry } from '../../lib/results/sourceGeometry.js';

function space(type: 'surf' | 'vol', vertno: number[]): SourceSpace {
  return { type, vertno: Int32Array.from(vertno), subjectHisId: 'sample' } as unknown as SourceSpace;
}

describe('results: sourceGeometry', function () {
  it('takes positions, the prepared orientations and per-space vertices from a forward', function () {
    const fwd = {
      sourceRr: new Matrix(5, 3), sourceNn: new Matrix(15, 3), surfOri: true,
      src: [space('surf', [3, 8, 9]), space('surf', [0, 4])],
    } as unknown as Forward;
    const g = sourceGeometry(fwd);
    assert.equal(g.kind, 'surface');
    assert.equal(g.subject, 'sample');
    assert.deepEqual([0, 2, 3, 4].map((i) => locateSource(g, i)), [
      { space: 0, vertno: 3 }, { space: 0, vertno: 9 }, { space: 1, vertno: 0 }, { space: 1, vertno: 4 }]);
    assert.throws(() => locateSource(g, 5), /source index/);
    const vol = sourceGeometry({ ...fwd, src: [space('vol', [10, 11])] } as unknown as Forward);
    assert.equal(vol.kind, 'volume');
    assert.throws(() => sourceGeometry({ ...fwd, src: [space('surf', [1]), space('vol', [2])] } as unknown as Forward), /surface or a volume/);
  });
});
