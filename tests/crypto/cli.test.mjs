// Boards made by the JS modules checked by the C verifier, `obrady verify`
// (OBRADY_BIN or build/obrady): accepted as made, refused after any one-byte
// alteration of what the board proves. Skipped only when the binary (or its
// verify command) is missing.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { makeSetup, makeBoard, prng, protectedByteRanges, board as B, verify, election, ballot } from './fixture.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = process.env.OBRADY_BIN || path.join(REPO, 'build', 'obrady');

function cliMissing() {
  if (!fs.existsSync(BIN)) return `${BIN} is missing (run make)`;
  const r = spawnSync(BIN, ['verify', '--help'], { encoding: 'utf8' });
  return /usage: obrady verify/.test(r.stdout + r.stderr) ? null : `${BIN} has no "verify" command yet`;
}
const missing = cliMissing();
const skip = missing ? `C verifier not available: ${missing}` : false;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'obrady-evote-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

function cVerify(text, name = 'board.json') {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return spawnSync(BIN, ['verify', file], { encoding: 'utf8', timeout: 60000 });
}

const setup = makeSetup({ groups: [[1, 1], [2, 3]] });
const votes = [[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]];
// Committee member 2 is absent: the server and members 1 and 3 decrypt.
const board = makeBoard(setup, votes, { present: [null, [1, 3]] });
const text = B.boardJson(board);

test('a JS board with one absent trustee (2 of 3) passes obrady verify', { skip }, () => {
  const r = cVerify(text);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /ballots:\s+7 from 7 voters/);
  assert.match(r.stdout, /4\s+za/);
  assert.match(r.stdout, /2\s+przeciw/);
  assert.match(r.stdout, /1\s+wstrzymuję się/);
});

test('a JS board before the tally (result null) passes obrady verify', { skip }, () => {
  const pending = { ...board, result: null, decryptions: board.decryptions.slice(0, 1) };
  const r = cVerify(B.boardJson(pending), 'pending.json');
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('one altered byte in a ballot proof: obrady verify fails naming the ballot, as the JS verifier does', { skip }, () => {
  const victim = board.ballots[4];
  const s = victim.choices[2].proof.challenges[1];
  const altered = text.replace(s, s.slice(0, 10) + (s[10] === 'a' ? 'b' : 'a') + s.slice(11));
  assert.equal(altered.length, text.length);
  const r = cVerify(altered, 'altered.json');
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, new RegExp(victim.tracker));
  const js = verify.checkBoard(JSON.parse(altered));
  assert.equal(js.ok, false);
  assert.equal(js.where, `ballot ${victim.tracker} option 2`);
});

test('random one-byte alterations of the election, ballots, aggregate, decryptions or result fail in C and in JS', { skip }, () => {
  const rand = prng(99);
  const bytes = Buffer.from(text, 'utf8');
  const ranges = protectedByteRanges(text);
  for (let k = 0; k < 18; k++) {
    const [lo, hi] = ranges[k % ranges.length];
    const pos = lo + Math.floor(rand() * (hi - lo));
    const copy = Buffer.from(bytes);
    copy[pos] ^= 1 + Math.floor(rand() * 255);
    const r = cVerify(copy, `flip-${k}.json`);
    assert.notEqual(r.status, 0, `C accepted byte ${pos} changed: ${copy.slice(pos - 15, pos + 15).toString('latin1')}`);
    let js;
    try {
      js = verify.checkBoard(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(copy)));
    } catch {
      js = { ok: false };
    }
    assert.equal(js.ok, false, `JS accepted byte ${pos}`);
  }
});

test('C and JS refuse the same malformed shapes, and accept trustees without a name', { skip }, () => {
  const variants = {
    'extra ballot field': (b) => { b.ballots[0].note = 'x'; },
    'extra decryption field': (b) => { b.decryptions[0].note = 'x'; },
    'voter with more than a name': (b) => { b.voters[0].email = 'a@b.c'; },
    'log head in capitals': (b) => { b.log_head = b.log_head.toUpperCase().replace(/^0/, 'A'); },
    'extra aggregate field': (b) => { b.aggregate[0].gamma = b.aggregate[0].alpha; },
    'a decryption twice': (b) => { b.decryptions.push(b.decryptions[0]); },
    'one voter too many': (b) => { b.voters.push({ name: 'Zenon' }); },
  };
  for (const [name, mutate] of Object.entries(variants)) {
    const b = JSON.parse(text);
    mutate(b);
    const r = cVerify(JSON.stringify(b), 'shape.json');
    assert.notEqual(r.status, 0, `C accepted: ${name}`);
    assert.equal(verify.checkBoard(b).ok, false, `JS accepted: ${name}`);
  }
  // Trustees generated without a name get "name": "" (the member object always has all five keys).
  const { group, trustees } = B.runGroupKeygen('v-anon', 2, [{ id: 'a' }, { id: 'b' }]);
  assert.equal(group.members[0].name, '');
  const el = B.makeElection({ voteId: 'v-anon', meetingId: 'm-anon', options: ['tak', 'nie'], min: 1, max: 1, groups: [group] });
  const ctx = election.parseElection(el);
  const m = ballot.encryptBallot(ctx, [0, 1]);
  const anon = B.buildBoard(el, [{ ...m.ballot, tracker: m.tracker }], { voters: [{ name: 'X' }], eligibleCount: 1, decryptors: trustees.map((t) => ({ group: 0, index: t.index, x: t.x })) });
  const r = cVerify(B.boardJson(anon), 'anon.json');
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
