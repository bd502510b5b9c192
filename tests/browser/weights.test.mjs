// Weights (issue 17 item 6) in real Chromium: the office switches weights on
// for a body and sets a member's weight in the members table (a bad weight
// shows the server's reason naming the field, a good one is saved); a vote
// decided on a majority of shares shows both counts — heads and shares —
// and each voter's weight in the named list, on the projector. Polish on a
// phone and English on a desktop, axe-clean; no console errors or CSP
// violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  signIn, signInMany, demoIds, createMeeting, DEMO, eventually, ok,
} from '../e2e/lib.mjs';
import { PHONE, DESKTOP, txt, demoSuite } from './browser.mjs';

const suite = demoSuite({ before, after });
const open = (client, url, lang, viewport) => suite.pageFor(client, url, lang, viewport);
const axeClean = (page, label) => suite.axeClean(page, label);

test('weights: set in the members table, both counts and each weight on the projector, pl and en, axe-clean', { timeout: 120000 }, async () => {
  const [op, chair, r1, r2, ...rest] = await signInMany(suite.srv, [DEMO.operator, DEMO.chair, DEMO.member(1), DEMO.member(2),
    DEMO.member(3), DEMO.member(4), DEMO.member(5), DEMO.member(6), DEMO.member(7)]);
  const admin = await signIn(suite.srv, DEMO.admin, { via: 'stdout' });
  const { bodyId } = await demoIds(admin);
  await ok(admin.patch(`/api/bodies/${bodyId}`, { uses_weights: true }), 'weights on');
  const memberId = (await ok(op.get(`/api/bodies/${bodyId}/members`), 'members')).members.find((x) => x.user_id === chair.user.id).id;

  // ---- Polish, on a phone: the members table with the weights.
  const pl = await open(op, `/bodies/${bodyId}?tab=members`, 'pl', PHONE);
  const row = pl.locator(`tr[data-member-id="${memberId}"]`);
  await row.locator('td[data-weight="1"]').waitFor();
  const form = row.locator('form[data-form="weight"]');
  const input = form.getByLabel(txt('pl', 'member.weightOf', { name: chair.user.name }));
  await input.fill('0');
  await form.getByRole('button', { name: txt('pl', 'member.changeWeightOf', { name: chair.user.name }) }).click();
  await form.getByText('Waga musi być większa od zera.').waitFor();
  await axeClean(pl, 'members with a refused weight (pl, phone)');
  await input.fill('40');
  await form.getByRole('button', { name: txt('pl', 'member.changeWeightOf', { name: chair.user.name }) }).click();
  await pl.locator(`tr[data-member-id="${memberId}"] td[data-weight="40"]`).waitFor();
  await pl.getByText(txt('pl', 'member.weightChanged', { name: chair.user.name })).waitFor();
  assert.equal((await ok(op.get(`/api/bodies/${bodyId}/members`), 'members')).members.find((x) => x.id === memberId).weight, '40');
  await axeClean(pl, 'members with weights (pl, phone)');

  // A vote on a majority of shares: the chair (40) for, three (1 each) against.
  const m = await createMeeting(op, bodyId, { title: 'Walne zgromadzenie' });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await Promise.all([chair, r1, r2, ...rest].map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), 'present')));
  await eventually(async () => (await op.get(`${P}/state`)).json.attendance.is_check_open === false, 5000);
  // The console offers the majorities of shares (the body uses weights) and prepares the vote.
  const con = await open(op, `/meetings/${m.id}/console`, 'pl', PHONE);
  await con.locator('[data-disclosure="new-vote"] summary').click();
  const nv = con.locator('form[data-form="new-vote"]');
  await nv.getByLabel(txt('pl', 'vote.titleField')).fill('Uchwała w sprawie remontu elewacji');
  await nv.getByLabel(txt('pl', 'vote.majorityField')).selectOption('shares_all');
  await nv.getByLabel(txt('pl', 'vote.durationField')).fill('900');
  await axeClean(con, 'console, a vote on a majority of shares (pl, phone)');
  await nv.getByRole('button', { name: txt('pl', 'vote.create') }).click();
  const vrow = con.locator('[data-list="votes"] li', { hasText: 'remontu elewacji' });
  await vrow.locator('[data-vote-status="draft"]').waitFor();
  const v = { id: await vrow.getAttribute('data-vote-id') };
  assert.equal((await ok(op.get(`/api/votes/${v.id}`), 'vote')).majority, 'shares_all');
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  for (const [who, choice] of [[chair, 'yes'], [r1, 'no'], [r2, 'no'], [rest[0], 'no']]) {
    await ok(who.post(`/api/votes/${v.id}/ballots`, { ballot_id: crypto.randomUUID(), choice }), 'ballot');
  }
  const proj = await open(op, `/meetings/${m.id}/projector`, 'pl', PHONE);
  // Live: the shares cast so far, each voter's weight.
  await proj.locator('[data-shares-cast="43"][data-shares-eligible="54"]').waitFor();
  await proj.locator(`[data-list="named"] tr[data-user-id="${chair.user.id}"] [data-weight="40"]`).waitFor();
  await axeClean(proj, 'projector, open vote with shares (pl, phone)');
  const closed = await ok(op.post(`/api/votes/${v.id}/close`, {}), 'close');
  assert.equal(closed.result.outcome, 'adopted', 'adopted on shares though 1 for and 3 against on heads');
  const shares = proj.locator('[data-list="result-shares"]');
  await shares.waitFor();
  assert.equal((await shares.locator('[data-share="yes"] td').innerText()).trim(), '40');
  assert.equal((await shares.locator('[data-share="eligible"] td').innerText()).trim(), '54');
  await proj.getByText(txt('pl', 'vote.decidedOnShares')).waitFor();
  assert.equal((await proj.locator('[data-list="result-counts"] [data-count="no"] td').innerText()).trim(), '3', 'the head count beside');
  await axeClean(proj, 'projector, result with shares (pl, phone)');

  // ---- English, desktop: the same result, the weight column.
  const en = await open(op, `/meetings/${m.id}/projector`, 'en', DESKTOP);
  await en.locator('[data-list="result-shares"]').waitFor();
  await en.getByText(txt('en', 'vote.decidedOnShares')).waitFor();
  await en.locator(`[data-list="named"] tr[data-user-id="${chair.user.id}"] td[data-weight="40"]`).waitFor();
  assert.equal(await en.getByRole('columnheader', { name: txt('en', 'vote.weight'), includeHidden: true }).count(), 1, 'the weight column is named for screen readers');
  await axeClean(en, 'projector, result with shares (en)');
  const enBody = await open(admin, `/bodies/${bodyId}?tab=settings`, 'en', DESKTOP);
  await enBody.locator('[data-uses-weights="yes"]').waitFor();
  // The office switches weights off in the body's form.
  await enBody.getByText(txt('en', 'body.edit')).click();
  const weightsBox = enBody.getByLabel(txt('en', 'body.usesWeights'));
  assert.equal(await weightsBox.isChecked(), true);
  await weightsBox.uncheck();
  await axeClean(enBody, 'body settings form with weights (en)');
  await enBody.getByRole('button', { name: txt('en', 'common.save') }).click();
  await enBody.locator('[data-uses-weights="no"]').waitFor();
  assert.equal((await ok(admin.get(`/api/bodies/${bodyId}`), 'body')).uses_weights, false);

  // The one refusal the test provokes is logged by the browser as a failed resource.
  suite.pages.assertQuiet(/status of 422 .*\/members\//);
});
