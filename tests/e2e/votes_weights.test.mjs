// Weights (issue 17 item 6: cooperatives, housing communities, general
// assemblies): the office sets a member's weight per body (API and CSV
// import; > 0, exact decimals, default 1) and switches weights on for the
// body; a majority of shares ("większość udziałów") is decided on weights,
// every other rule on heads, and both counts are shown: the API result, the
// named list (each voter's weight), the public page and CSVs, the protocol
// (pdftotext). Weights are frozen at the opening (vote.opened), so changing
// them afterwards does not change the result. Refusals: weights off, secret
// votes, elections, bad weights — each naming its field.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  startDemo, stopAll, signIn, signInMany, demoIds, DEMO, DEMO_MEMBERS, expectError,
  createMeeting, readEvents, eventually, ok, freeTmpDir, anonymous,
} from './lib.mjs';

after(stopAll);

const pdfText = (buf) => {
  const f = path.join(freeTmpDir('obrady-weights-'), 'p.pdf');
  fs.writeFileSync(f, buf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
};

test('weights: set by the office, bad input refused, majority of shares decided on weights with both counts, frozen at opening, refused on secret votes', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, ...members] = await signInMany(srv, [DEMO.operator, ...DEMO_MEMBERS]);
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
  const { bodyId } = await demoIds(admin);
  const B = `/api/bodies/${bodyId}`;

  // Default: weights off, every member weighs 1.
  let body = await ok(op.get(B), 'body');
  assert.equal(body.uses_weights, false);
  let list = (await ok(op.get(`${B}/members`), 'members')).members;
  assert.ok(list.length >= 15 && list.every((x) => x.weight === '1'), 'the default weight is 1');
  const memberOf = (c) => list.find((x) => x.user_id === c.user.id);

  // A majority of shares is refused while the body does not use weights.
  const m = await createMeeting(op, bodyId, { title: 'Walne zgromadzenie', public: true });
  const P = `/api/meetings/${m.id}`;
  expectError(await op.post(`${P}/votes`, { title: 'Uchwała', majority: 'shares_all' }), 422, 'weights_off', 'majority');

  // Bad weights, each refused naming the field, nothing changed.
  const M0 = `${B}/members/${memberOf(members[0]).id}`;
  for (const [weight, code] of [
    ['0', 'weight_not_positive'], [0, 'weight_not_positive'], ['0.000', 'weight_not_positive'],
    ['-1', 'weight_not_number'], [-2, 'weight_not_positive'], ['abc', 'weight_not_number'], ['1,5', 'weight_not_number'],
    ['1e3', 'weight_not_number'], ['', 'weight_not_number'], ['0.0000001', 'weight_too_many_digits'],
    ['12345678', 'weight_too_many_digits'], ['1000000.5', 'weight_too_large'],
    ['1'.repeat(40), 'weight_too_many_digits'], ['x'.repeat(40), 'weight_not_number'], [{ v: 1 }, 'wrong_type'],
  ]) {
    expectError(await op.patch(M0, { weight }), 422, code, 'weight');
  }
  expectError(await op.patch(M0, { weight: 1.5 }), 422, 'wrong_type', 'weight');
  const pl = await op.patch(M0, { weight: '0' }, { headers: { 'accept-language': 'pl' } });
  assert.match(pl.json.error.message, /Waga musi być większa od zera/);
  // Members cannot set weights.
  expectError(await members[3].patch(M0, { weight: '5' }), 403, 'forbidden');
  assert.equal((await ok(op.get(`${B}/members`), 'members')).members.find((x) => x.user_id === members[0].user.id).weight, '1');

  // The office sets the weights: exact decimals, JSON integers too.
  assert.equal((await ok(op.patch(M0, { weight: '40' }), 'weight 40')).weight, '40');
  assert.equal((await ok(op.patch(`${B}/members/${memberOf(members[1]).id}`, { weight: 9 }), 'weight 9')).weight, '9');
  assert.equal((await ok(op.patch(`${B}/members/${memberOf(members[2]).id}`, { weight: '1.0473' }), 'weight')).weight, '1.0473');
  // 40 + 9 + 1.0473 + 12 × 1 = 62.0473 in all.
  expectError(await admin.patch(B, { uses_weights: 'yes' }), 422, 'wrong_type', 'uses_weights');
  body = await ok(admin.patch(B, { uses_weights: true }), 'weights on');
  assert.equal(body.uses_weights, true);

  // Other refusals, naming the majority.
  expectError(await op.post(`${P}/votes`, { title: 'Tajne', kind: 'secret', majority: 'shares_cast' }), 422, 'weights_secret', 'majority');
  const sec = await op.post(`${P}/votes`, { title: 'Tajne', kind: 'secret', majority: 'shares_cast' }, { headers: { 'accept-language': 'pl' } });
  assert.match(sec.json.error.message, /tajnego.*większością udziałów/);
  expectError(await op.post(`${P}/votes`, { title: 'Wybory', method: 'election', candidates: ['A', 'B'], majority: 'shares_all' }), 422, 'weights_election', 'majority');
  // A secret vote on heads in a body with weights is fine.
  await ok(op.post(`${P}/votes`, { title: 'Tajne na osoby', kind: 'secret' }), 'secret vote on heads');

  // Eight present (the quorum of 15); four vote.
  await ok(op.post(`${P}/start`, {}), 'start');
  const present = members.slice(0, 8);
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await Promise.all(present.map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), 'present')));
  await eventually(async () => (await op.get(`${P}/state`)).json.attendance.is_check_open === false, 5000);

  const v = await ok(op.post(`${P}/votes`, { title: 'Uchwała w sprawie remontu dachu', majority: 'shares_all', duration_s: 600 }), 'create');
  const V = `/api/votes/${v.id}`;
  const opened = await ok(op.post(`${V}/open`, {}), 'open');
  assert.equal(opened.majority, 'shares_all');
  // Changed after the opening: the vote keeps the weight frozen then.
  await ok(op.patch(M0, { weight: '1' }), 'weight changed after opening');
  const vote = (who, choice) => ok(who.post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), choice }), `ballot ${choice}`);
  await vote(members[0], 'yes');
  await vote(members[1], 'no');
  await vote(members[2], 'no');
  await vote(members[3], 'no');
  const live = await ok(op.get(V), 'the open vote');
  assert.equal(live.live.cast, 4);
  assert.deepEqual(live.live.weighted, { cast: '51.0473', eligible: '62.0473' });
  assert.equal(live.named.find((n) => n.user_id === members[0].user.id).weight, '40');

  const closed = await ok(op.post(`${V}/close`, {}), 'close');
  const r = closed.result;
  // Heads: 1 for, 3 against; shares: 40 of 62.0473 > half — adopted on shares.
  assert.equal(r.yes, 1);
  assert.equal(r.no, 3);
  assert.equal(r.decided_on, 'weights');
  assert.equal(r.outcome, 'adopted');
  assert.deepEqual({ ...r.weighted, text: undefined }, {
    yes: '40', no: '11.0473', abstain: '0', cast: '51.0473', eligible: '62.0473',
    threshold: '31.023651', is_tie: false, text: undefined,
  });
  assert.match(r.weighted.text.pl, /udziały: za 40, przeciw 11\.0473/);
  assert.match(r.weighted.text.en, /more than half of 62\.0473 needed/);
  assert.match(r.rule_text.pl, /większość udziałów wszystkich uprawnionych/);
  const w = Object.fromEntries(r.named.map((n) => [n.user_id, n.weight]));
  assert.equal(w[members[0].user.id], '40');
  assert.equal(w[members[1].user.id], '9');
  assert.equal(w[members[2].user.id], '1.0473');
  assert.equal(w[members[5].user.id], '1');

  // The weights in the log: recorded with the opening, so the result can be recomputed.
  const evs = await readEvents(op, m.id, { since: 0, untilType: 'vote.closed' });
  const ev = evs.find((e) => e.type === 'vote.opened' && e.payload.vote_id === v.id);
  assert.equal(ev.payload.weights[members[0].user.id], '40');
  assert.equal(Object.keys(ev.payload.weights).length, r.eligible);
  // Recomputed from the log alone, exactly (integer millionths): the last
  // ballot of each voter, weighed by the weight frozen in vote.opened.
  const micro = (d) => { const [a, b = ''] = d.split('.'); return BigInt(a) * 1000000n + BigInt(b.padEnd(6, '0')); };
  const last = new Map();
  for (const e of evs) if (e.type === 'vote.ballot' && e.payload.vote_id === v.id) last.set(e.payload.user_id, e.payload.choice);
  const sums = { yes: 0n, no: 0n, abstain: 0n };
  for (const [uid, choice] of last) sums[choice] += micro(ev.payload.weights[uid]);
  for (const k of ['yes', 'no', 'abstain']) assert.equal(sums[k], micro(r.weighted[k]), `${k} recomputed from the log`);
  const all = Object.values(ev.payload.weights).reduce((a, w) => a + micro(w), 0n);
  assert.equal(all, micro(r.weighted.eligible));
  assert.equal(sums.yes * 2n > all, r.outcome === 'adopted', 'the outcome recomputed from the log');

  // A rule on heads in the same body: heads decide, the shares are shown.
  const h = await ok(op.post(`${P}/votes`, { title: 'Wniosek formalny', majority: 'simple', duration_s: 600 }), 'heads vote');
  await ok(op.post(`/api/votes/${h.id}/open`, {}), 'open');
  for (const [who, choice] of [[members[1], 'yes'], [members[0], 'no'], [members[2], 'no']]) {
    await ok(who.post(`/api/votes/${h.id}/ballots`, { ballot_id: crypto.randomUUID(), choice }), 'ballot');
  }
  const hr = (await ok(op.post(`/api/votes/${h.id}/close`, {}), 'close')).result;
  assert.equal(hr.decided_on, 'heads');
  assert.equal(hr.outcome, 'rejected', '1 for, 2 against on heads, though 9 for and 2.0473 against on shares');
  assert.equal(hr.weighted.yes, '9');
  assert.equal(hr.weighted.no, '2.0473', 'the weight changed after the first vote is the one frozen for this one');
  assert.equal(hr.weighted.threshold, null);

  // A proxy ballot is stored as the grantor's: the grantor's weight counts.
  const grantor = members[10]; // absent; members[1] (present) holds the proxy
  await ok(op.patch(`${B}/members/${memberOf(grantor).id}`, { weight: '7.5' }), 'grantor weight');
  const doc = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(512), Buffer.from('\n%%EOF\n')]);
  const qs = new URLSearchParams({ grantor_id: grantor.user.id, holder_id: members[1].user.id, meeting_id: m.id });
  await ok(op.api('POST', `${B}/proxies?${qs}`, doc, { headers: { 'content-type': 'application/pdf', 'x-filename': 'pelnomocnictwo.pdf' }, raw: true }), 'proxy');
  const px = await ok(op.post(`${P}/votes`, { title: 'Uchwała z pełnomocnictwem', majority: 'shares_cast', duration_s: 600 }), 'proxy vote');
  await ok(op.post(`/api/votes/${px.id}/open`, {}), 'open');
  await ok(members[1].post(`/api/votes/${px.id}/proxy-ballots`, { ballot_id: crypto.randomUUID(), for: grantor.user.id, choice: 'yes' }), 'proxy ballot');
  await ok(members[0].post(`/api/votes/${px.id}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'no' }), 'ballot');
  const pr = (await ok(op.post(`/api/votes/${px.id}/close`, {}), 'close')).result;
  assert.equal(pr.weighted.yes, '7.5', "the grantor's weight, not the holder's 9");
  assert.equal(pr.weighted.no, '1');
  assert.equal(pr.outcome, 'adopted', '7.5 of 8.5 cast');
  assert.equal(pr.named.find((n) => n.user_id === grantor.user.id).weight, '7.5');

  // Switching weights off later does not let a prepared weighted vote open.
  const late = await ok(op.post(`${P}/votes`, { title: 'Późniejsza', majority: 'shares_cast' }), 'weighted draft');
  await ok(admin.patch(B, { uses_weights: false }), 'weights off');
  expectError(await op.post(`/api/votes/${late.id}/open`, {}), 422, 'weights_off', 'majority');
  await ok(admin.patch(B, { uses_weights: true }), 'weights on again');

  // Public: the vote's page data, the named CSV and HTML carry both counts and each weight.
  const anon = anonymous(srv);
  const csv = await anon.get(`/api/public/votes/${v.id}/named.csv`);
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.text, /Lp\.,Imię i nazwisko,Głos,Waga/);
  assert.ok(csv.text.includes(',40\r\n') && csv.text.includes(',1.0473\r\n'), csv.text);
  const html = await anon.get(`/api/public/votes/${v.id}/named.html`);
  assert.match(html.text, /<th scope="col">Waga<\/th>/);
  assert.match(html.text, /Rozstrzygnięto według udziałów/);
  const pj = await anon.get(`/api/public/votes/${v.id}/named.json`);
  assert.equal(pj.status, 200, pj.text);
  assert.ok(JSON.stringify(pj.json).includes('"weight":"40"'), pj.text);

  // The CSV import takes a weight column; a bad weight is refused by line, naming the column.
  const imp = await op.post(`${B}/members/import?dry_run=1`,
    'imię i nazwisko,e-mail,udział\r\nAnna Nowak,anna.nowak@przykladowo.example,0.0473\r\nJan Lis,jan.lis@przykladowo.example,0\r\n',
    { headers: { 'content-type': 'text/csv' } });
  assert.equal(imp.status, 200, imp.text);
  assert.equal(imp.json.rows[0].weight, '0.0473');
  const bad = imp.json.errors.find((e) => e.line === 3);
  assert.equal(bad.field, 'weight');
  assert.equal(bad.code, 'weight_invalid');

  // The protocol (Polish) and the vote's report show both counts and the weights.
  await ok(op.post(`${P}/close`, {}), 'close the meeting');
  const proto = pdfText((await op.get(`${P}/protocol.pdf`)).body);
  assert.match(proto, /Udziały: za 40, przeciw 11\.0473, wstrzymujące się 0; oddane 51\.0473 z 62\.0473/);
  assert.match(proto, /Rozstrzygnięto według udziałów/);
  assert.match(proto, /Rozstrzygnięto według liczby osób/);
  assert.match(proto, /\(waga 40\)/);
  const rep = pdfText((await op.get(`${V}/report.pdf`)).body);
  assert.match(rep, /\(waga 1\.0473\)/);
  assert.match(rep, /Udziały: za 40/);
});
