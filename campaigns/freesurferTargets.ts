/**
 * Fuzz targets for the FreeSurfer readers (lib/io/freesurfer): MGH volumes, MGZ (the same,
 * gzipped, inflated as a bounded stream) and triangle surfaces (`?h.white`, `?h.sphere.reg`; BEM
 * surfaces such as `inner_skull.surf` are the same format and the same reader). Seeds are the demo
 * subject's own files (lib/demo/subjectFiles.ts) at small sizes: the synthetic T1 on a 16³ grid,
 * and the sphere.reg and white surfaces of a small cortex and an ico-1 template.
 */
import * as zlib from 'node:zlib';
import { makeCortex } from '../lib/demo/index.js';
import { demoSurfaces, demoT1 } from '../lib/demo/subjectFiles.js';
import { mghFromBuffer } from '../lib/io/freesurfer/readMgh.js';
import { encodeSurface, parseSurface } from '../lib/io/freesurfer/surface.js';
import { encodeMgh } from '../lib/io/freesurfer/writeMgh.js';
import type { Target } from './fuzzTargets.js';

const freesurferModule = (name: string) => new RegExp(`[\\\\/]lib[\\\\/]io[\\\\/]freesurfer[\\\\/]${name}\\.js$`);
const MGH_READER = freesurferModule('(mghHeader|readMgh)');

/** Header fields: version, dims, frames, type, dof, goodRASflag (int16 at 28), delta, Mdc, c_ras. */
const MGH_HOT = [0, 4, 8, 12, 16, 20, 24, 26, 28, 30, 34, 42, 54, 66, 70];

function mghSeeds(): Buffer[] {
  const t1 = demoT1(16, 16);
  // The other voxel types, and a volume without valid geometry (FreeSurfer's default LIA then).
  const float = { ...demoT1(6, 40), type: 'float32' as const };
  const short = { ...demoT1(5, 48), type: 'int16' as const };
  const noGeometry = encodeMgh(demoT1(4, 64));
  noGeometry.writeInt16BE(0, 28);
  return [encodeMgh(t1), encodeMgh(float), encodeMgh(short), noGeometry];
}

export function freesurferTargets(): Target[] {
  const mgh = mghSeeds();
  // (The template's sphere.reg is the same for both hemispheres: once is enough.)
  const surfaces = [...new Map(demoSurfaces(makeCortex(40), 1).map(([, s]) => { const b = encodeSurface(s); return [b.toString('base64'), b] as const; })).values()];
  // magic, the end of the "created by" line, the counts, the first vertex and the first face.
  const surfaceHot = surfaces.map((s) => {
    const counts = s.indexOf('\n\n', 3) + 2;
    return [0, counts - 4, counts - 2, counts, counts + 4, counts + 8, counts + 8 + 12 * s.readInt32BE(counts)];
  });
  return [
    { name: 'mgh', file: 'fuzz-T1.mgh', seeds: mgh, text: false, hot: mgh.map(() => MGH_HOT), read: (b) => mghFromBuffer('fuzz-T1.mgh', b), covers: MGH_READER },
    // The voxels and header are mutated, then gzipped: the inflating stream meets lying headers
    // (a volume larger than the data, data running past the voxels) instead of CRC errors alone.
    { name: 'mgz', file: 'fuzz-T1.mgz', seeds: mgh, text: false, hot: mgh.map(() => MGH_HOT), read: (b) => mghFromBuffer('fuzz-T1.mgz', zlib.gzipSync(b, { level: 1 })), covers: MGH_READER },
    // The compressed bytes themselves mutated (gzip header, deflate stream, CRC and length).
    { name: 'mgz-bytes', file: 'fuzz-T1.mgz', seeds: mgh.map((b) => zlib.gzipSync(b)), text: false, hot: mgh.map(() => [0, 4, 8, 10]), read: (b) => mghFromBuffer('fuzz-T1.mgz', b), covers: MGH_READER },
    { name: 'surface', file: 'fuzz-lh.white', seeds: surfaces, text: false, hot: surfaceHot, read: (b) => parseSurface('fuzz-lh.white', b), covers: freesurferModule('surface') },
  ];
}
