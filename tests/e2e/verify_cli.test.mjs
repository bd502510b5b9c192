// `obrady verify BOARD.json` (issue 6) on the known-answer board of
// tests/vectors/evote-v1.json: exit 0 with the summary; exit 1 naming the
// failure when a single byte of a ballot, a proof or the result is changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = process.env.OBRADY_BIN || 'build/obrady';
const vectors = JSON.parse(fs.readFileSync('tests/vectors/evote-v1.json', 'utf8'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'obrady-verify-'));

function verify(text) {
  const file = path.join(dir, `board-${Math.random().toString(16).slice(2)}.json`);
  fs.writeFileSync(file, text);
  return spawnSync(BIN, ['verify', file], { encoding: 'utf8' });
}

test('a whole board verifies and the summary shows the result per option', () => {
  const r = verify(JSON.stringify(vectors.elections[0].board));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /election hash: dd97cc22b8d9065d8600ca61d9ae2d7d0cf86e420b4a34bafe6f5063010121d5/);
  assert.match(r.stdout, /ballots: +5 from 5 voters, 7 eligible/);
  assert.match(r.stdout, /3 {2}za\n +1 {2}przeciw\n +1 {2}wstrzymuję się/);
});

test('one changed hex digit anywhere in ballots, proofs, decryptions or result fails with the reason', () => {
  const text = JSON.stringify(vectors.elections[0].board);
  // voter names and eligible_count are not cryptographic: leave them out
  const ranges = [[text.indexOf('"ballots"'), text.indexOf('"voters"')],
    [text.indexOf('"aggregate"'), text.indexOf('"log_head"')]];
  const hexAt = [];
  for (const [from, to] of ranges) {
    for (let i = from; i < to; i++) if (/[0-9a-f]/.test(text[i]) && /[0-9a-f]/.test(text[i + 1])) hexAt.push(i);
  }
  for (let k = 0; k < 25; k++) {
    const i = hexAt[Math.floor(Math.random() * hexAt.length)];
    const c = text[i] === '0' ? '1' : '0';
    const r = verify(text.slice(0, i) + c + text.slice(i + 1));
    assert.equal(r.status, 1, `byte ${i} changed, still verifies`);
    assert.match(r.stderr, /FAILED: /);
  }
  const bad = JSON.parse(text);
  bad.result[0] = 2;
  assert.match(verify(JSON.stringify(bad)).stderr, /FAILED: result: the published counts differ/);
});

test('not JSON, duplicate keys and a missing file exit 1; no argument is a usage error', () => {
  assert.equal(verify('{"election": 1,').status, 1);
  assert.equal(verify('{"a": 1, "a": 2}').status, 1);
  assert.equal(spawnSync(BIN, ['verify', path.join(dir, 'none.json')]).status, 1);
  assert.equal(spawnSync(BIN, ['verify']).status, 2);
});

// Cross-implementation: the browser's module (web/js/evote) and the C core
// must agree byte for byte. Needs web/vendor (make web-vendor).
const vendorReady = fs.existsSync('web/vendor/libsodium-wrappers.mjs');

test('the JS module verifies the C vector boards and re-encrypts their ballots identically', { skip: !vendorReady && 'make web-vendor first' }, async () => {
  const F = await import('../crypto/fixture.mjs');
  for (const e of vectors.elections) {
    assert.deepEqual(F.verify.verifyBoard(e.board).result ?? e.board.result, e.board.result);
    const ctx = F.election.parseElection(e.election);
    assert.equal(F.group.bytesToHex(F.election.electionHash(e.election)), e.election_hash);
    for (const b of e.ballots) {
      assert.equal(F.ballot.ballotTracker(b.ballot), b.tracker);
      const made = F.ballot.encryptBallot(ctx, b.inputs.choices.map((c) => c.v),
        { credential: b.inputs.credential, randomness: b.inputs.choices.map((c) => c.r) });
      made.ballot.choices.forEach((c, j) => {
        assert.equal(c.alpha, b.ballot.choices[j].alpha);
        assert.equal(c.beta, b.ballot.choices[j].beta);
      });
    }
  }
});

test('boards made by the JS module (server only; server + committee 2 of 3) pass obrady verify', { skip: !vendorReady && 'make web-vendor first' }, async () => {
  const F = await import('../crypto/fixture.mjs');
  for (const groups of [[[1, 1]], [[1, 1], [2, 3]]]) {
    const s = F.makeSetup({ groups, options: ['a', 'b', 'c', 'd'], min: 0, max: 2 });
    const ballots = F.castAll(s.ctx, [[1, 0, 1, 0], [0, 0, 0, 0], [0, 1, 0, 0], [1, 1, 0, 0]]);
    const decryptors = [];
    s.keys.forEach((k, g) => k.trustees.slice(-k.group.threshold).forEach((t) => decryptors.push({ group: g, index: t.index, x: t.x })));
    const board = F.board.buildBoard(s.election, ballots, { voters: ballots.map((_, i) => ({ name: `V${i}` })), eligibleCount: 9, decryptors });
    const r = verify(F.board.boardJson(board));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /2 {2}a\n +2 {2}b\n +1 {2}c\n +0 {2}d/);
  }
});
