/**
 * Jobs posted as multipart uploads: solved like path jobs, bounded in size, checked to be FIF files
 * of the right kind before queuing, stored under the results folder and removed with the job.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { DemoDataset } from '../../lib/demo/index.js';
import { demoData, finished, testService, waitFor, type TestService } from './helpers.js';

describe('service: uploads', function () {
  this.timeout(120_000);
  let tmp: string;
  let demo: DemoDataset;
  let s: TestService;

  const form = (parts: Record<string, string | [string, Buffer]>) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(parts)) {
      if (typeof v === 'string') f.append(k, v);
      else f.append(k, new Blob([new Uint8Array(v[1])]), v[0]);
    }
    return f;
  };
  const files = () => ({
    fwd: ['subject-fwd.fif', fs.readFileSync(demo.fwd)] as [string, Buffer],
    evoked: ['subject-ave.fif', fs.readFileSync(demo.evoked)] as [string, Buffer],
    cov: ['subject-cov.fif', fs.readFileSync(demo.cov)] as [string, Buffer],
  });
  const post = async (f: FormData) => {
    const r = await s.app.inject({ method: 'POST', url: '/v1/jobs', payload: f });
    return { status: r.statusCode, json: r.json() };
  };

  before(async () => {
    ({ tmp, demo } = await demoData('mxne-upload-'));
    s = await testService(tmp, null, { maxUploadBytes: fs.statSync(demo.fwd).size + 1024 });
  });
  after(async () => {
    await s.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('an uploaded job is solved, its inputs named as uploaded, and DELETE removes the job with its upload', async () => {
    const r = await post(form({ ...files(), options: JSON.stringify({ alpha: 45 }) }));
    assert.equal(r.status, 202, JSON.stringify(r.json));
    const v = await waitFor(s.app, r.json.id, finished);
    assert.equal(v.state, 'done', JSON.stringify(v.error));
    const result = (await s.app.inject({ url: `/v1/jobs/${v.id}/result` })).json();
    assert.equal(result.inputs.evoked.path, 'subject-ave.fif');
    assert.equal(result.options.mixedNorm.alpha, 45);
    assert.ok(fs.existsSync(`${s.results}/${v.id}/upload/fwd.fif`));
    assert.equal((await s.app.inject({ method: 'DELETE', url: `/v1/jobs/${v.id}` })).statusCode, 204);
    assert.ok(!fs.existsSync(`${s.results}/${v.id}`));
  });

  it('refuses an oversized file (413 naming the part) and stores nothing', async () => {
    const big = files();
    big.evoked = ['huge-ave.fif', Buffer.concat([big.evoked[1], Buffer.alloc(fs.statSync(demo.fwd).size + 2048)])];
    const r = await post(form(big));
    assert.equal(r.status, 413);
    assert.equal(r.json.error.field, 'evoked');
    assert.deepEqual(fs.readdirSync(s.results).filter((d) => !fs.existsSync(`${s.results}/${d}/job.json`)), []);
  });

  it('refuses files that are not FIF, or not of the kind their part names, before queuing', async () => {
    const cases: [Record<string, string | [string, Buffer]>, string, RegExp][] = [
      [{ ...files(), cov: ['notes.txt', Buffer.from('hello, not a FIF file')] }, 'cov', /not a FIF file/],
      [{ ...files(), fwd: files().cov }, 'fwd', /this file is a covariance/],
      [{ ...files(), evoked: ['cut-ave.fif', fs.readFileSync(demo.evoked).subarray(0, 2000)] }, 'evoked', /./],
      [{ fwd: files().fwd, evoked: files().evoked }, 'cov', /nothing/],
      [{ ...files(), options: '{"alpha": 40,' }, 'options', /not JSON/],
      [{ ...files(), options: JSON.stringify({ alhpa: 40 }) }, 'options.alhpa', /did you mean "alpha"/],
      [{ ...files(), evokd: files().evoked }, 'evokd', /did you mean "evoked"/],
    ];
    for (const [parts, field, message] of cases) {
      const before = fs.readdirSync(s.results).length;
      const r = await post(form(parts));
      assert.equal(r.status, 400, `${field}: ${JSON.stringify(r.json)}`);
      assert.equal(r.json.error.field, field);
      assert.match(r.json.error.message, message);
      assert.ok(!r.json.error.message.includes(s.results), 'no host path');
      assert.equal(fs.readdirSync(s.results).length, before, 'the refused upload is removed');
    }
  });

  it('without --data-root a job must upload its files', async () => {
    const r = await s.app.inject({ method: 'POST', url: '/v1/jobs', payload: { fwd: 'a-fwd.fif', evoked: 'a-ave.fif', cov: 'a-cov.fif' } });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error.message, /upload/);
  });
});
