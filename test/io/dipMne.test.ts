import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readBdip, writeBdip } from '../../lib/io/bdip.js';
import { readDip, writeDip } from '../../lib/io/dipText.js';
import { dipoleTable, type DipoleTable } from '../../lib/io/dipoleTable.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import type { Dipole } from '../../lib/records/dipole.js';
import { assertClose } from '../helpers/assert.js';
import { rng } from '../helpers/random.js';
import { requireMne } from '../helpers/python.js';
import { runMne } from '../results/mnePython.js';

const READ_AND_SAVE = `
import mne, numpy as np
out = {}
for key, fname in args['read'].items():
    d = mne.read_dipole(fname, verbose=False)
    out[key] = dict(times=d.times.tolist(), pos=d.pos.tolist(), amplitude=d.amplitude.tolist(),
                    ori=d.ori.tolist(), gof=d.gof.tolist())
t = args['table']
n = len(t['times'])
dip = mne.Dipole(np.array(t['times']), np.array(t['pos']), np.array(t['amplitude']), np.array(t['ori']),
                 np.array(t['gof']), name=t['name'])
dip.save(args['dip'], overwrite=True, verbose=False)
# MNE 1.3 cannot write .bdip without confidence limits (0. has no .shape): give it zero limits.
conf = {k: np.zeros(n) for k in ('vol', 'depth', 'long', 'trans', 'qlong', 'qtrans')}
mne.Dipole(dip.times, dip.pos, dip.amplitude, dip.ori, dip.gof, conf=conf, khi2=np.zeros(n)).save(args['bdip'], overwrite=True, verbose=False)
print(json.dumps(out))
`;

function dipoles(nT: number): Dipole[] {
  const r = rng(9);
  return [0, 1, 2].map((k) => {
    const ori = new Matrix(nT, 3);
    for (let t = 0; t < nT; t++) {
      const v = [r() - 0.5, r() - 0.5, r() - 0.5];
      const n = Math.hypot(...v);
      for (let c = 0; c < 3; c++) ori.set(t, c, v[c] / n);
    }
    return {
      times: Float64Array.from({ length: nT }, (_, t) => -3.1635573327637445e-09 + 0.0016649601096532323 * t),
      pos: Float64Array.from([0.02 * k - 0.03, 0.011 - 0.004 * k, 0.06 + 0.003 * k]),
      ori,
      amplitude: Float64Array.from({ length: nT }, () => (r() - 0.3) * 1e-7),
      gof: Float64Array.from({ length: nT }, () => 25 * r()),
      sourceIndex: k, hemi: 'lh', vertno: k,
    };
  });
}

function json(t: DipoleTable) {
  return { times: Array.from(t.times), pos: t.pos.toRows(), amplitude: Array.from(t.amplitude), ori: t.ori.toRows(), gof: Array.from(t.gof), name: t.name };
}

describe('io: .dip / .bdip read back by MNE-Python (mne.read_dipole, Dipole.save)', function () {
  requireMne(this);
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-dip-mne-')); });
  // A skip in an earlier before hook leaves dir unset; after hooks still run.
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('MNE reads our files with our numbers, and its own .dip / .bdip equal ours', async function () {
    const dips = dipoles(181);
    const f = (n: string) => path.join(dir, n);
    await writeDip(f('ours.dip'), dips, { name: 'mxne' });
    await writeBdip(f('ours.bdip'), dips);
    const table = dipoleTable(dips, 'mxne');
    const mne = runMne(READ_AND_SAVE, { read: { dip: f('ours.dip'), bdip: f('ours.bdip') }, table: json(table), dip: f('mne.dip'), bdip: f('mne.bdip') });

    // .dip: MNE parses the same text with the same arithmetic, so the numbers are identical.
    const ours = json(await readDip(f('ours.dip')));
    for (const key of ['times', 'pos', 'amplitude', 'ori', 'gof'] as const) assert.deepEqual(mne.dip[key], ours[key], `.dip ${key}`);
    assert.equal(fs.readFileSync(f('ours.dip'), 'utf8'), fs.readFileSync(f('mne.dip'), 'utf8'), '.dip text');

    // .bdip: MNE takes ‖Q‖ and 100·gof in float32 arithmetic; we widen first (differences ≤ float32 eps).
    const b = await readBdip(f('ours.bdip'));
    assert.deepEqual(mne.bdip.times, Array.from(b.times));
    assert.deepEqual(mne.bdip.pos, b.pos.toRows());
    assertClose(mne.bdip.amplitude, b.amplitude, 2 ** -23, '.bdip amplitude');
    assertClose(mne.bdip.ori.flat(), b.ori.toRows().flat(), 2 ** -22, '.bdip ori');
    assertClose(mne.bdip.gof, b.gof, 2 ** -23, '.bdip gof');
    // Byte for byte, except has_errors (MNE needed confidence limits to write at all, see READ_AND_SAVE).
    const a = fs.readFileSync(f('ours.bdip'));
    const m = fs.readFileSync(f('mne.bdip'));
    assert.equal(a.length, m.length);
    for (let o = 0; o < a.length; o += 196) {
      assert.ok(a.subarray(o, o + 48).equals(m.subarray(o, o + 48)), `record ${o / 196} head`);
      assert.equal(a.readInt32BE(o + 48 + 4), 0);
      assert.ok(a.subarray(o + 56, o + 196).equals(m.subarray(o + 56, o + 196)), `record ${o / 196} tail`);
      assert.ok(a.subarray(o + 48, o + 52).equals(m.subarray(o + 48, o + 52)), `record ${o / 196} gof`);
    }
  });
});
