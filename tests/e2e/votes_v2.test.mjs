// Secret votes under spec v2 against the real server (docs/verifiable-
// voting.md section 13): the installation key at /.well-known/obrady-key and
// on the protocol; voting keys registered through the API; the electorate
// frozen at opening (a member without a key listed with null); ballots under
// another voter's or an unregistered key refused, a member voting from a new
// device published as a key change; the board in every state (open,
// counting, final) verified by `obrady verify`, the browser's verifier and the
// Python verifier; the meeting log exported with `obrady log export` commits
// to the final board (`obrady verify --log`), and a board with a ballot
// dropped does not match it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  startDemo, stopAll, signInMany, demoIds, DEMO, DEMO_MEMBERS, expectError, createMeeting, readEvents, runCli, freeTmpDir, ok,
} from './lib.mjs';
import { ready, S } from '../../web/js/evote/sodium.js';
import { parseElection } from '../../web/js/evote/election.js';
import { encryptBallot } from '../../web/js/evote/ballot.js';
import { checkBoard } from '../../web/js/evote/verify.js';
import { registerVoterKeys, ballotOf } from './voter_keys.mjs';

after(stopAll);

const PYVERIFY = new URL('../pyverify/verify_board.py', import.meta.url).pathname;
const fingerprint = (hex) => crypto.createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex').slice(0, 20).match(/.{4}/g).join('-');
const one = (k) => [0, 1, 2].map((j) => (j === k ? 1 : 0));

/** obrady verify, the JS verifier and the Python verifier all accept board (and log). */
async function allAccept(dir, name, board, log = null) {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(board));
  const args = ['verify', file];
  const pyArgs = [PYVERIFY, file];
  if (log) {
    const lf = path.join(dir, `${name}-log.json`);
    fs.writeFileSync(lf, JSON.stringify(log));
    args.push('--log', lf);
    pyArgs.push('--log', lf);
  }
  const c = await runCli(args);
  assert.equal(c.code, 0, `${name}: obrady verify\n${c.stdout}${c.stderr}`);
  const js = checkBoard(board);
  assert.equal(js.ok, true, `${name}: JS ${js.where}: ${js.message}`);
  const py = execFileSync('python3', pyArgs, { encoding: 'utf8' });
  assert.match(py, /^verified: /, `${name}: python ${py}`);
  return { cli: c.stdout, js };
}

test('spec v2 on the server: keys, electorate, key changes, every board state verifies three ways, the log commits to the final board', async (t) => {
  await ready();
  const srv = await startDemo();
  t.after(() => srv.stop());
  const dir = freeTmpDir('obrady-v2-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const [op, ...members] = await signInMany(srv, [DEMO.operator, ...DEMO_MEMBERS]);
  const { bodyId } = await demoIds(op);

  const inst = await ok(op.get('/.well-known/obrady-key'), 'installation key');
  assert.equal(inst.alg, 'Ed25519');
  assert.match(inst.public_key, /^[0-9a-f]{64}$/);
  assert.equal(inst.fingerprint, fingerprint(inst.public_key));

  // Keys: five present members register one; the sixth has none at opening.
  const present = members.slice(0, 6);
  assert.deepEqual(await ok(present[5].get('/api/me/voter-key'), 'no key yet'), { public_key: null, fingerprint: null, registered_at: null });
  await registerVoterKeys(present.slice(0, 5));
  const mine = await ok(present[0].get('/api/me/voter-key'), 'my key');
  assert.equal(mine.public_key, present[0].voterKey.hex);
  assert.equal(mine.fingerprint, fingerprint(mine.public_key));
  expectError(await present[1].api('PUT', '/api/me/voter-key', { public_key: present[0].voterKey.hex }), 409, 'voter_key_taken', 'public_key');
  expectError(await present[1].api('PUT', '/api/me/voter-key', { public_key: 'ab'.repeat(32) }), 422, 'out_of_range', 'public_key');

  const m = await createMeeting(op, bodyId, { title: 'Sesja — głosowanie tajne v2' });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const chk = await ok(op.post(`${P}/attendance-checks`, { duration_s: 600 }), 'check');
  await Promise.all(present.map((x) => ok(x.post(`${P}/attendance-checks/${chk.check_id}/present`, {}), 'present')));
  const v = await ok(op.post(`${P}/votes`, { title: 'Uchwała tajna', kind: 'secret', duration_s: 600 }), 'create');
  const V = `/api/votes/${v.id}`;
  await ok(op.post(`${V}/open`, {}), 'open');
  const opened = (await readEvents(op, m.id, { since: 0, untilType: 'vote.opened' })).find((e) => e.type === 'vote.opened');
  const election = opened.payload.election;
  assert.equal(election.version, 2);
  const ctx = parseElection(election);
  const names = election.electorate.map((e) => e.name);
  assert.deepEqual(names, [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))), 'sorted by the bytes of the names');
  const nullKeys = election.electorate.filter((e) => e.key === null);
  assert.ok(nullKeys.length >= 1, 'members without a key are in the electorate with null');
  assert.ok(election.electorate.some((e) => e.key === present[0].voterKey.hex));

  // Open board: the same shape, signed with the installation key, verifies.
  const open0 = await ok(op.get(`${V}/board`), 'open board');
  assert.equal(open0.state, 'open');
  assert.equal(open0.aggregate, null);
  assert.equal(open0.result, null);
  assert.equal(open0.signature.key, inst.public_key);
  await allAccept(dir, 'open-empty', open0);

  // Ballots: four with their own keys.
  const picks = [0, 1, 0, 2];
  const made = picks.map((k, i) => ballotOf(ctx, present[i], one(k)));
  for (const [i, x] of made.entries()) await ok(present[i].post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), ballot: x.ballot }), `ballot ${i}`);
  // Refused: a ballot signed with a key that is not the sender's (member 4's
  // device key is registered; this one is not), nothing stored.
  const stranger = S.crypto_sign_keypair();
  const r1 = await present[4].post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), ballot: encryptBallot(ctx, one(0), { voterKey: { publicKey: stranger.publicKey, privateKey: stranger.privateKey } }).ballot });
  expectError(r1, 422, 'bad_voter_key');
  // A ballot whose signature does not hold: 422 bad_ballot naming the signature.
  const forged = structuredClone(ballotOf(ctx, present[4], one(1)).ballot);
  forged.signature = (forged.signature[0] === 'a' ? 'b' : 'a') + forged.signature.slice(1);
  const r2 = await present[4].post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), ballot: forged });
  expectError(r2, 422, 'bad_ballot', 'ballot');
  assert.match(r2.json.error.reason, /signature/);
  // Member 5 had no key at opening: registers one now (a new device) and votes: a key change.
  await registerVoterKeys([present[5]]);
  await ok(present[5].post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), ballot: ballotOf(ctx, present[5], one(1)).ballot }), 'ballot with a key change');
  const during = await ok(op.get(`${V}/board`), 'board during the vote');
  assert.equal(during.ballots.length, 5);
  assert.equal(during.key_changes.length, 1);
  assert.equal(during.key_changes[0].key, present[5].voterKey.hex);
  assert.equal(during.key_changes[0].name, nullKeys.find((e) => e.name === during.key_changes[0].name)?.name, 'the change fills a null key');
  await allAccept(dir, 'open', during);
  const kev = (await readEvents(op, m.id, { since: 0 })).filter((e) => e.type === 'vote.voter_key');
  assert.equal(kev.length, 1);
  assert.equal(kev[0].payload.previous, null);

  // Final board (server trustee): verifies three ways; the log commits to it.
  const closed = await ok(op.post(`${V}/close`, {}), 'close');
  assert.deepEqual([closed.result.yes, closed.result.no, closed.result.abstain], [2, 2, 1]);
  const final = await ok(op.get(`${V}/board`), 'final board');
  assert.equal(final.state, 'final');
  assert.deepEqual(final.result, [2, 2, 1]);
  const exp = await runCli(['log', 'export', m.id, '--data', srv.dataDir]);
  assert.equal(exp.code, 0, exp.stderr);
  const log = JSON.parse(exp.stdout);
  const boardEv = log.filter((e) => e.type === 'vote.board' && e.payload.vote_id === v.id);
  assert.equal(boardEv.length, 1);
  assert.equal(boardEv[0].payload.board_hash, final.board_hash);
  const { cli } = await allAccept(dir, 'final', final, log);
  assert.match(cli, new RegExp(`fingerprint ${inst.fingerprint}`));
  assert.match(cli, /commits to this board/);
  const wrongKey = await runCli(['verify', path.join(dir, 'final.json'), '--key', 'ab'.repeat(32)]);
  assert.equal(wrongKey.code, 1);
  assert.match(wrongKey.stderr, /not signed by installation key/);

  // A copy with one ballot dropped fails: the board hash and the signature
  // no longer match, and only the installation can sign (a board it did sign
  // with a ballot dropped fails against the log: the suite's dropped-ballot).
  const dropped = structuredClone(final);
  dropped.ballots.splice(1, 1);
  fs.writeFileSync(path.join(dir, 'dropped.json'), JSON.stringify(dropped));
  const d = await runCli(['verify', path.join(dir, 'dropped.json')]);
  assert.equal(d.code, 1, d.stdout);

  // The protocol prints the installation key and the log head.
  const pdf = await op.get(`${V}/report.pdf`);
  assert.equal(pdf.status, 200);
  const pdfFile = path.join(dir, 'report.pdf');
  fs.writeFileSync(pdfFile, pdf.body);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  assert.ok(text.includes(inst.public_key), 'the protocol prints the installation key');
  assert.ok(text.includes(inst.fingerprint), 'with its fingerprint');
  const proto = await op.get(`${P}/protocol.pdf`);
  assert.equal(proto.status, 200);
  fs.writeFileSync(pdfFile, proto.body);
  const ptext = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  assert.ok(ptext.includes(inst.public_key), 'the meeting protocol prints the installation key');
  const after = JSON.parse((await runCli(['log', 'export', m.id, '--data', srv.dataDir])).stdout);
  assert.ok(ptext.includes(after.at(-1).hash), 'and the log head');
});
