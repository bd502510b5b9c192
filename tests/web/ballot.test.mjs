// web/js/ballot.js under node (window and sessionStorage stood in for, fetch
// stubbed): a ballot is retried with the same ballot id through network
// failures and server errors until the server answers, kept in
// sessionStorage meanwhile (and resumed after a reload), and a refusal says
// it was not counted, with the server's reason.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

globalThis.window = new EventTarget();
const store = new Map();
globalThis.sessionStorage = {
  getItem: (k) => (store.has(k) ? store.get(k) : null),
  setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k),
};
const { BallotBox, newBallotId } = await import('../../web/js/ballot.js');

const KEY = 'obrady.pendingBallots';
let sent;

/** fetch answering the ballots route from a script of outcomes: 'down' (network), or [status, body]. */
function script(outcomes) {
  sent = [];
  globalThis.fetch = async (url, init) => {
    sent.push({ url: String(url), body: JSON.parse(init.body) });
    const o = outcomes.length > 1 ? outcomes.shift() : outcomes[0];
    if (o === 'down') throw new TypeError('Failed to fetch');
    const [status, body] = o;
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  };
}

function settle(box, voteId, ms = 3000) {
  return new Promise((resolve, reject) => {
    const end = Date.now() + ms;
    const poll = () => {
      const s = box.status(voteId);
      if (s && (s.phase === 'confirmed' || s.phase === 'refused')) resolve(s);
      else if (Date.now() > end) reject(new Error(`still ${s && s.phase}`));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

beforeEach(() => store.clear());

test('ballot ids: 32 characters of [A-Za-z0-9_-], never the same twice', () => {
  const ids = new Set(Array.from({ length: 1000 }, newBallotId));
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{8,64}$/);
});

test('network failures and 503s are retried with the same ballot id until the server confirms', async () => {
  script(['down', 'down', [503, { error: { code: 'unavailable', message: 'x' } }], [201, { vote_id: 'v1', ballot_id: 'x', choice: 'yes', counted: true }]]);
  const phases = [];
  const box = new BallotBox({ baseDelayMs: 5, onChange: (id, s) => phases.push(s.phase) });
  box.cast('v1', { choice: 'yes' });
  assert.ok(JSON.parse(store.get(KEY)).v1.ballot_id, 'kept in sessionStorage while unanswered');
  const s = await settle(box, 'v1');
  assert.equal(s.phase, 'confirmed');
  assert.equal(s.choice, 'yes');
  assert.equal(sent.length, 4);
  assert.equal(new Set(sent.map((x) => x.body.ballot_id)).size, 1, 'the same ballot id every time');
  assert.deepEqual(sent[0].body, { ballot_id: sent[0].body.ballot_id, choice: 'yes' });
  assert.equal(sent[0].url, '/api/votes/v1/ballots');
  assert.deepEqual(phases.slice(0, 2), ['sending', 'retrying']);
  assert.equal(store.has(KEY), false, 'nothing pending after the answer');
  box.close();
});

test('a refusal (409 vote_closed) is final: not counted, with the reason, not retried', async () => {
  script([[409, { error: { code: 'vote_closed', message: 'Głosowanie jest zamknięte; ten głos nie został policzony.' } }]]);
  const box = new BallotBox({ baseDelayMs: 5 });
  box.cast('v2', { choices: [0, 2] });
  const s = await settle(box, 'v2');
  assert.equal(s.phase, 'refused');
  assert.equal(s.error.code, 'vote_closed');
  assert.match(s.error.message, /nie został policzony/);
  assert.deepEqual(sent[0].body.choices, [0, 2]);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(sent.length, 1, 'a refusal is not retried');
  assert.equal(store.has(KEY), false);
  box.close();
});

test('after a reload the kept ballot is sent again with its id; a repeat answer (200) confirms it', async () => {
  store.set(KEY, JSON.stringify({ v3: { ballot_id: 'kept0000ballot0000', choice: 'abstain' } }));
  script([[200, { vote_id: 'v3', ballot_id: 'kept0000ballot0000', choice: 'abstain', counted: true, is_repeat: true }]]);
  const box = new BallotBox({ baseDelayMs: 5 });
  box.resume(['v3']);
  const s = await settle(box, 'v3');
  assert.equal(s.phase, 'confirmed');
  assert.equal(sent[0].body.ballot_id, 'kept0000ballot0000');
  box.close();
});

test('one ballot at a time per vote; "online" sends a waiting ballot at once', async () => {
  script(['down', [201, { choice: 'no' }]]);
  const box = new BallotBox({ baseDelayMs: 60000 }); // the timer alone would wait a minute
  box.cast('v4', { choice: 'no' });
  box.cast('v4', { choice: 'yes' }); // ignored while the first is unanswered
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(box.status('v4').phase, 'retrying');
  window.dispatchEvent(new Event('online'));
  const s = await settle(box, 'v4');
  assert.equal(s.choice, 'no');
  assert.equal(sent.length, 2);
  assert.equal(sent[1].body.choice, 'no');
  box.close();
});
