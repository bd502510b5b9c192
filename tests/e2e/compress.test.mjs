// Large JSON and HTML answers (the meeting state, the vote list, boards,
// the public pages) go out gzipped when the client accepts gzip
// (src/http/compress.c); small ones and clients that do not accept it get
// them plain. Vary: Accept-Encoding on every answer large enough to differ.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { startDemo, stopAll, signIn, demoIds, createMeeting, api, ok, DEMO } from './lib.mjs';

after(stopAll);

test('the meeting state: gzip when accepted, plain otherwise, the same JSON either way', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const op = await signIn(srv, DEMO.operator, { via: 'stdout' });
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja z kompresją' });
  await ok(op.post(`/api/meetings/${m.id}/start`, {}), 'start');
  const get = (p, ae) => op.get(p, { headers: ae ? { 'Accept-Encoding': ae } : {} });
  const path = `/api/meetings/${m.id}/state`;

  const plain = await get(path, null);
  assert.equal(plain.status, 200);
  assert.ok(plain.body.length >= 1024, `the state is large enough to compress (${plain.body.length} bytes)`);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'Accept-Encoding');

  for (const ae of ['gzip', 'br, gzip, deflate', 'gzip;q=0.5']) {
    const gz = await get(path, ae);
    assert.equal(gz.status, 200, ae);
    assert.equal(gz.headers['content-encoding'], 'gzip', ae);
    assert.equal(gz.headers.vary, 'Accept-Encoding', ae);
    assert.match(gz.headers['content-type'], /^application\/json/);
    assert.ok(gz.body.length < plain.body.length / 2, `smaller: ${gz.body.length} of ${plain.body.length}`);
    const text = zlib.gunzipSync(gz.body).toString('utf8');
    const a = JSON.parse(text);
    const b = JSON.parse(plain.text);
    assert.equal(a.seq, b.seq);
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
  }
  for (const ae of ['identity', 'gzip;q=0', 'br']) {
    const r = await get(path, ae);
    assert.equal(r.headers['content-encoding'], undefined, ae);
    assert.doesNotThrow(() => JSON.parse(r.text), ae);
  }

  // The server-rendered public pages too.
  const pubPlain = await api(srv, 'GET', '/public');
  const pubGz = await api(srv, 'GET', '/public', undefined, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(pubPlain.status, 200);
  assert.ok(pubPlain.body.length >= 1024, `/public is large enough (${pubPlain.body.length})`);
  assert.equal(pubGz.headers['content-encoding'], 'gzip');
  assert.match(pubGz.headers['content-type'], /^text\/html/);
  assert.equal(zlib.gunzipSync(pubGz.body).toString('utf8'), pubPlain.text);

  // A small answer is not worth it.
  const me = await get('/api/me', 'gzip');
  assert.equal(me.status, 200);
  assert.ok(me.body.length < 1024, `/api/me is small (${me.body.length})`);
  assert.equal(me.headers['content-encoding'], undefined);
});
