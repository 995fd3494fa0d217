/**
 * FreeSurfer triangle surfaces (`lh.white`, `lh.sphere.reg`, BEM `inner_skull.surf`, …), as MNE's
 * read_surface: magic 0xFFFFFE, a "created by" line ended by two newlines, vertex and face counts,
 * float32 vertices (mm, surface RAS) and int32 triangles, big-endian. Counts are checked against
 * the file's size before anything is allocated; every triangle must name existing vertices.
 */
import { FreeSurferError } from '../../errors.js';
import { atomicWrite } from '../atomicWrite.js';
import { Matrix } from '../../linalg/matrix.js';
import { readInputFile } from '../readInputFile.js';

const TRIANGLE_MAGIC = 0xfffffe;
const QUAD_MAGIC = 0xffffff;
/** The "created by" line is short; a file without its terminator within this is not a surface. */
const MAX_STAMP = 4096;

export interface Surface {
  /** nVertices × 3, mm (surface RAS), widened from float32. */
  rr: Matrix;
  /** Triangles, row-major nFaces × 3 vertex indices. */
  tris: Int32Array;
}

export function parseSurface(file: string, b: Buffer): Surface {
  if (b.length < 3) throw new FreeSurferError(file, 'magic', 0, 'expected a FreeSurfer surface (3-byte magic) but the file is shorter');
  const magic = b.readUIntBE(0, 3);
  if (magic === QUAD_MAGIC) throw new FreeSurferError(file, 'magic', 0, 'quad surfaces are not supported; expected a triangle surface (magic 0xFFFFFE)');
  if (magic !== TRIANGLE_MAGIC) throw new FreeSurferError(file, 'magic', 0, `expected a triangle surface (magic 0xFFFFFE) but found 0x${magic.toString(16).toUpperCase()}`);
  const nl = b.indexOf(0x0a, 3);
  if (nl < 0 || nl > MAX_STAMP) throw new FreeSurferError(file, 'created by', 3, `expected the "created by" line to end within ${MAX_STAMP} bytes`);
  const counts = nl + 1 + (b[nl + 1] === 0x0a ? 1 : 0);
  if (b.length < counts + 8) throw new FreeSurferError(file, 'counts', counts, 'expected vertex and face counts but the file ends');
  const nv = b.readInt32BE(counts), nf = b.readInt32BE(counts + 4);
  const start = counts + 8, need = start + 12 * nv + 12 * nf;
  if (nv < 3 || nf < 1 || need > b.length) {
    throw new FreeSurferError(file, 'counts', counts, `${nv} vertices and ${nf} faces need ${need} bytes but the file has ${b.length}`);
  }
  const rr = new Matrix(nv, 3);
  for (let i = 0; i < nv; i++) for (let c = 0; c < 3; c++) rr.data[i + c * nv] = b.readFloatBE(start + 12 * i + 4 * c);
  const tris = new Int32Array(3 * nf);
  const faces = start + 12 * nv;
  for (let k = 0; k < 3 * nf; k++) {
    const v = b.readInt32BE(faces + 4 * k);
    if (v < 0 || v >= nv) throw new FreeSurferError(file, 'faces', faces + 4 * k, `triangle ${Math.floor(k / 3)} names vertex ${v} of ${nv}`);
    tris[k] = v;
  }
  return { rr, tris };
}

export async function readSurface(file: string, field = file): Promise<Surface> {
  return parseSurface(file, await readInputFile(file, field));
}

export function encodeSurface(s: Surface, createdBy = 'created by mxne'): Buffer {
  const nv = s.rr.rows, nf = s.tris.length / 3;
  const stamp = Buffer.from(`${createdBy}\n\n`, 'latin1');
  const b = Buffer.alloc(3 + stamp.length + 8 + 12 * nv + 12 * nf);
  b.writeUIntBE(TRIANGLE_MAGIC, 0, 3);
  stamp.copy(b, 3);
  let o = 3 + stamp.length;
  b.writeInt32BE(nv, o);
  b.writeInt32BE(nf, o + 4);
  o += 8;
  for (let i = 0; i < nv; i++) for (let c = 0; c < 3; c++, o += 4) b.writeFloatBE(s.rr.data[i + c * nv], o);
  for (let k = 0; k < 3 * nf; k++, o += 4) b.writeInt32BE(s.tris[k], o);
  return b;
}

export async function writeSurface(file: string, s: Surface): Promise<void> {
  await atomicWrite(file, encodeSurface(s));
}
