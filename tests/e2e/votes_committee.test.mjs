// A secret vote whose key is shared by the server and a scrutiny committee
// of three with a threshold of two (issue 6): the dealer-less ceremony run
// with the browser's own module (keys with proofs, shares sealed to each
// member and checked against the sender's coefficients), refusals of bad
// keys and of steps out of order, the close moving the vote to "counting",
// a bad partial decryption refused with its reason, and the result once two
// of three have decrypted — the third stays absent.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  startDemo, stopAll, signIn, signInMany, demoIds, DEMO, expectError, createMeeting, readEvents, readMail, runCli, freeTmpDir, ok, DEMO_MEMBERS,
} from './lib.mjs';
import { ready } from '../../web/js/evote/sodium.js';
import { parseElection } from '../../web/js/evote/election.js';
import { registerVoterKeys, ballotOf } from './voter_keys.mjs';
import { generateTrustee, sealShares, openShare, combineShares, partialDecrypt } from '../../web/js/evote/trustee.js';
import { hexToBytes } from '../../web/js/evote/group.js';
import { checkBoard } from '../../web/js/evote/verify.js';

after(stopAll);

const MEMBERS = DEMO_MEMBERS;

test('committee trustees 2 of 3: ceremony, counting, one absent, result', async (t) => {
  await ready();
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, ...members] = await signInMany(srv, [DEMO.operator, ...MEMBERS]);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Posiedzenie z komisją skrutacyjną' });
  const P = `/api/meetings/${m.id}`;
  const committee = [];
  for (const [i, name] of ['Łucja Śliwińska', 'Grzegorz Żądło', 'Ewa Ćmielewska'].entries()) {
    const email = `komisja${i + 1}@${DEMO.domain}`;
    await ok(op.post(`${P}/participants`, { email, name, is_scrutiny: true }), 'add trustee');
    committee.push(await signIn(srv, email, { via: 'stdout' }));
  }
  await ok(op.post(`${P}/start`, {}), 'start');
  const chk = await ok(op.post(`${P}/attendance-checks`, { duration_s: 600 }), 'check');
  const voters = members.slice(0, 10);
  await Promise.all(voters.map((x) => ok(x.post(`${P}/attendance-checks/${chk.check_id}/present`, {}), 'present')));

  expectError(await op.post(`${P}/votes`, { title: 'x', kind: 'secret', trustees: 'committee', threshold: 4 }), 422, 'no_committee', 'threshold');
  const v = await ok(op.post(`${P}/votes`, { title: 'Wybór rektora — głosowanie tajne', kind: 'secret', trustees: 'committee', threshold: 2 }), 'create');
  const V = `/api/votes/${v.id}`;
  const tr0 = await ok(committee[0].get(`${V}/trustees`), 'trustees');
  assert.equal(tr0.threshold, 2);
  assert.equal(tr0.members.length, 3);
  expectError(await op.post(`${V}/open`, {}), 409, 'trustees_not_ready');
  expectError(await members[0].post(`${V}/trustees/key`, { member: {}, box_public_key: '0'.repeat(64) }), 403, 'not_trustee');

  // Step 1: keys. A key with a wrong proof is refused; then each posts its own.
  const gens = [];
  for (const c of committee) {
    const me = (await ok(c.get(`${V}/trustees`), 'trustees')).my_index;
    const row = tr0.members.find((x) => x.index === me);
    const g = generateTrustee({ voteId: v.id, memberId: c.user.id, name: row.name, index: me, threshold: 2 });
    gens.push({ c, g, index: me });
  }
  const forged = structuredClone(gens[0].g.public.member);
  forged.pok.response = gens[1].g.public.member.pok.response;
  expectError(await gens[0].c.post(`${V}/trustees/key`, { member: forged, box_public_key: gens[0].g.public.box_public_key }), 409, 'bad_trustee_key', 'member');
  await ok(gens[0].c.post(`${V}/trustees/key`, gens[0].g.public), 'key 1');
  expectError(await gens[0].c.post(`${V}/trustees/key`, gens[0].g.public), 409, 'trustee_done');
  expectError(await gens[0].c.post(`${V}/trustees/shares`, { shares: [] }), 409, 'trustees_not_ready');
  for (const x of gens.slice(1)) await ok(x.c.post(`${V}/trustees/key`, x.g.public), 'key');

  // Step 2: shares sealed to each other member.
  const all = (await ok(op.get(`${V}/trustees`), 'trustees')).members;
  const recipients = all.map((x) => ({ index: x.index, box_public_key: x.box_public_key }));
  expectError(await gens[0].c.post(`${V}/trustees/shares`, { shares: sealShares(gens[0].g.secret, recipients).slice(1) }), 422, 'out_of_range', 'shares');
  for (const x of gens) await ok(x.c.post(`${V}/trustees/shares`, { shares: sealShares(x.g.secret, recipients) }), 'shares');

  // Step 3: each opens its shares, checks them and combines its key.
  const coeffs = Object.fromEntries(all.map((x) => [x.index, x.member.coefficients]));
  for (const x of gens) {
    const mine = (await ok(x.c.get(`${V}/trustees`), 'my shares')).shares_for_me;
    assert.equal(mine.length, 2);
    const shares = mine.map((s) => openShare(x.g.secret, s, coeffs[s.from]));
    x.key = combineShares(x.g.secret, shares);
  }
  const ev0 = await readEvents(op, m.id, { since: 0 });
  assert.ok(ev0.some((e) => e.type === 'vote.trustees_ready' && e.payload.vote_id === v.id));

  // Voting.
  await registerVoterKeys(voters);
  await ok(op.post(`${V}/open`, {}), 'open');
  const election = (await ok(op.get(`${V}/board`), 'board')).election;
  assert.equal(election.trustee_groups.length, 2, 'the server and the committee');
  assert.equal(election.trustee_groups[1].threshold, 2);
  const ctx = parseElection(election);
  const picks = [0, 1, 0, 0, 2, 0, 1, 0, 0, 1];
  await Promise.all(voters.map((c, i) => ok(c.post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), ballot: ballotOf(ctx, c, [0, 1, 2].map((j) => (j === picks[i] ? 1 : 0))).ballot }), 'ballot')));

  // Closing: counting, then the committee.
  const counting = await ok(op.post(`${V}/close`, {}), 'close');
  assert.equal(counting.status, 'counting');
  expectError(await voters[0].post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), ballot: ballotOf(ctx, voters[0], [1, 0, 0]).ballot }), 409, 'vote_closed');
  const evs = await readEvents(op, m.id, { since: 0, untilType: 'vote.counting' });
  const cev = evs.find((e) => e.type === 'vote.counting');
  assert.equal(cev.payload.ballots_cast, 10);
  const alphas = cev.payload.aggregate.map((a) => hexToBytes(a.alpha));
  for (const c of committee) {
    const mail = await readMail(srv.dataDir, { to: c.email, subject: /odszyfruj wynik/ });
    assert.match(mail.text, new RegExp(`#/votes/${v.id}/trustee`), 'the mail links to the committee page');
  }

  const d1 = partialDecrypt(ctx, 1, gens[0].index, gens[0].key, alphas);
  const pending = await ok(gens[0].c.post(`${V}/decryptions`, { factors: d1.factors, proofs: d1.proofs }), 'decryption 1');
  assert.equal(pending.status, 'counting', 'one of two is not enough');
  expectError(await gens[0].c.post(`${V}/decryptions`, { factors: d1.factors, proofs: d1.proofs }), 409, 'trustee_done');
  // Trustee 2 sends trustee 1's factors: the proof does not fit its key.
  const r = await gens[1].c.post(`${V}/decryptions`, { factors: d1.factors, proofs: d1.proofs });
  expectError(r, 422, 'bad_decryption');
  assert.ok(r.json.error.reason, 'the reason is given');
  const d2 = partialDecrypt(ctx, 1, gens[1].index, gens[1].key, alphas);
  const done = await ok(gens[1].c.post(`${V}/decryptions`, { factors: d2.factors, proofs: d2.proofs }), 'decryption 2');
  assert.equal(done.status, 'closed');
  const tally = [0, 0, 0];
  for (const k of picks) tally[k]++;
  assert.deepEqual([done.result.yes, done.result.no, done.result.abstain, done.result.ballots_cast], [...tally, 10]);
  assert.equal(done.result.present, 10, 'presence as at the close');
  assert.deepEqual(done.result.trustees, ['Serwer obrady', ...all.map((x) => x.name)]);
  const board = await ok(op.get(`${V}/board`), 'board');
  assert.deepEqual(board.result, tally);
  assert.equal(board.decryptions.length, 3, 'the server and two of three trustees');
  const dir = freeTmpDir('obrady-board-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'board.json'), JSON.stringify(board));
  const check = await runCli(['verify', path.join(dir, 'board.json')]);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  const js = checkBoard(board); // the browser's verifier agrees
  assert.equal(js.ok, true, `${js.where}: ${js.message}`);
  assert.deepEqual(js.result, tally);
  expectError(await gens[2].c.post(`${V}/decryptions`, { factors: d2.factors, proofs: d2.proofs }), 409, 'trustee_done');
});
