// Drill: a council room behind one NAT — 500 members sign in at once from one
// address and all succeed; meanwhile guessing codes is limited: a code dies
// after a few wrong tries (the right one is refused afterwards), and a spray
// of wrong codes from that address is cut off with 429.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo, stopAll, signIn, signInMany, demoIds, api, fetchCode, DEMO } from '../e2e/lib.mjs';
import { growCouncil } from './council.mjs';

after(stopAll);

test('500 sign-ins from one address succeed; code guessing is limited', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const op = await signIn(srv, DEMO.operator, { via: 'stdout' });
  const { bodyId } = await demoIds(op);
  const emails = await growCouncil(op, bodyId, 500);
  const t0 = Date.now();
  const clients = await signInMany(srv, emails, { concurrency: 32 }); // each asserts 202 and 200
  t.diagnostic(`500 sign-ins from 127.0.0.1 took ${Date.now() - t0} ms`);
  assert.equal(new Set(clients.map((c) => c.user.id)).size, 500);
  const me = await clients[499].me();
  assert.equal(me.status, 200);

  // One account: the code dies after 5 wrong tries; the right one no longer works.
  const victim = DEMO.member(3);
  const { code } = await fetchCode(srv, victim, { via: 'stdout' });
  const wrong = code === '000000' ? '111111' : '000000';
  const answers = [];
  for (let i = 0; i < 6; i++) answers.push((await api(srv, 'POST', '/api/auth/session', { email: victim, code: wrong })).status);
  assert.ok(answers.every((s) => s === 401 || s === 429), `wrong codes refused: ${answers}`);
  const right = await api(srv, 'POST', '/api/auth/session', { email: victim, code });
  assert.notEqual(right.status, 200, `the right code after 5 wrong tries is refused: ${right.status} ${right.text}`);

  // A spray of guesses over many accounts from the same address hits 429.
  let limitedAt = -1;
  for (let i = 0; i < 400 && limitedAt < 0; i++) {
    const r = await api(srv, 'POST', '/api/auth/session', { email: emails[i % emails.length], code: '123456' });
    if (r.status === 429) limitedAt = i;
    else assert.equal(r.status, 401, `guess ${i}: ${r.status} ${r.text}`);
  }
  t.diagnostic(`guessing spray limited after ${limitedAt} attempts`);
  assert.ok(limitedAt >= 0, 'guessing from one address is rate limited');
});
