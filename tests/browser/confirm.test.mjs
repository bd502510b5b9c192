// The scrutiny committee confirms a result before it is announced (issue 17
// item 7), in real Chromium: with the body's option on, a closed vote's
// result is shown to a committee member (phone, Polish) with "confirm" and
// "object" — an objection without a reason is refused in the form — and
// not to an ordinary member, who is told it awaits confirmation; the
// operator's console (English) lists the confirmation and announces; then
// the member sees the result. axe-clean in pl and en; no console errors or
// CSP violations. Also the body page's setting (pl), and the body's attendance
// minimum and default audio bitrate set there, followed by the console.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  startServer, stopAll, signIn, signInMany, demoIds, createMeeting, DEMO, SESSION_COOKIE, eventually, ok,
} from '../e2e/lib.mjs';
import {
  PHONE, DESKTOP, txt, launchBrowser, signedInPage, runAxe, formatViolations, screenshot,
} from './browser.mjs';

let browser;
let srv;
const watched = [];

before(async () => {
  browser = await launchBrowser();
  srv = await startServer({ args: ['--demo'] });
});
after(async () => {
  await browser?.close();
  await stopAll();
});

async function pageFor(client, url, lang, viewport) {
  const { page, watch } = await signedInPage(browser, { srvUrl: srv.url, cookieName: SESSION_COOKIE, client, url: url, lang, viewport });
  watched.push({ page, watch, lang });
  return page;
}

async function axeClean(page, label) {
  const v = await runAxe(page);
  assert.equal(v.length, 0, `${label}:\n${formatViolations(v)}`);
}

test('scrutiny committee confirms, the chair announces: committee phone (pl), member, console (en), body setting', { timeout: 150000 }, async () => {
  const [op, chair, r1, r2, r3] = await signInMany(srv, [DEMO.operator, DEMO.chair, DEMO.member(1), DEMO.member(2), DEMO.member(3)]);
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
  const { bodyId } = await demoIds(op);

  // The body page: the setting, saved from the form.
  const bp = await pageFor(admin, `/bodies/${bodyId}?tab=settings`, 'pl', DESKTOP);
  await bp.locator('summary', { hasText: txt('pl', 'body.edit') }).click();
  const box = bp.getByLabel(txt('pl', 'body.confirmResults'));
  await box.check();
  await bp.getByRole('button', { name: txt('pl', 'common.save') }).click();
  await bp.locator('[data-confirm-results="yes"]').waitFor();
  await eventually(async () => (await ok(admin.get(`/api/bodies/${bodyId}`), 'body')).confirm_results === true, 8000);
  await axeClean(bp, 'body page with the setting (pl)');

  const m = await createMeeting(op, bodyId, { title: 'Posiedzenie z komisją skrutacyjną' });
  const P = `/api/meetings/${m.id}`;
  const email = `komisja-b@${DEMO.domain}`;
  await ok(op.post(`${P}/participants`, { email, name: 'Łucja Śliwińska', is_scrutiny: true }), 'committee');
  const committee = await signIn(srv, email, { via: 'stdout' });
  await ok(op.post(`${P}/start`, {}), 'start');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await Promise.all([chair, r1, r2, r3, committee].map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), 'present')));
  await eventually(async () => (await op.get(`${P}/state`)).json.attendance.is_check_open === false, 5000);
  const v = await ok(op.post(`${P}/votes`, { title: 'Uchwała w sprawie regulaminu', duration_s: 900 }), 'vote');
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  for (const x of [r1, r2, r3]) await ok(x.post(`/api/votes/${v.id}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 'ballot');

  const cm = await pageFor(committee, `/meetings/${m.id}`, 'pl', PHONE);
  const member = await pageFor(r2, `/meetings/${m.id}`, 'pl', PHONE);
  await ok(op.post(`/api/votes/${v.id}/close`, {}), 'close');

  // The committee member: the result, confirm / object.
  const block = cm.locator(`[data-confirm="${v.id}"]`);
  await block.waitFor({ timeout: 10000 });
  await block.locator('[data-result]').waitFor();
  await axeClean(cm, 'committee member, result awaiting confirmation (pl, phone)');
  await block.getByRole('button', { name: txt('pl', 'vote.confirm.object') }).click();
  await block.getByText(txt('pl', 'vote.confirm.objectionMissing')).first().waitFor({ timeout: 5000 }).catch(async (e) => {
    throw new Error(`${e.message}\n${await block.innerHTML()}`);
  });
  await block.getByRole('button', { name: txt('pl', 'vote.confirm.confirm') }).click();
  await block.locator('[data-my-confirmation="confirmed"]').waitFor();
  assert.equal((await block.locator('[data-my-confirmation]').innerText()).trim(), txt('pl', 'vote.confirm.confirmDone'));
  await block.locator(`[data-list="confirmations"] li[data-user-id="${committee.user.id}"]`).waitFor();
  await screenshot(cm, 'confirm-committee-pl-phone');

  // The ordinary member: told it awaits confirmation, no result.
  await member.locator('[data-no-result="confirming"]').waitFor({ timeout: 10000 });
  assert.equal(await member.locator('[data-result]').count(), 0, 'no result before the announcement');
  await axeClean(member, 'member awaiting the announcement (pl, phone)');

  // The console in English: the confirmation listed, announce.
  const con = await pageFor(op, `/meetings/${m.id}/console`, 'en', DESKTOP);
  const cb = con.locator(`[data-confirm="${v.id}"]`);
  await cb.locator(`[data-list="confirmations"] li[data-user-id="${committee.user.id}"]`).waitFor({ timeout: 10000 });
  assert.match(await cb.innerText(), new RegExp(txt('en', 'vote.confirm.confirmed')));
  await axeClean(con, 'console with a result awaiting confirmation (en)');
  await cb.getByRole('button', { name: txt('en', 'vote.confirm.announce') }).click();
  await eventually(async () => (await ok(r2.get(`/api/votes/${v.id}`), 'vote')).status === 'closed', 8000);

  // Now the member sees it.
  await member.locator('[data-result]').waitFor({ timeout: 10000 });

  for (const { watch, lang } of watched) {
    assert.deepEqual(watch.errors, [], `console errors (${lang})`);
    assert.deepEqual(watch.csp, [], `CSP violations (${lang})`);
  }
});

test('#20.12 / #14: the body\'s attendance minimum and default audio bitrate, set in its settings tab, drive the console', { timeout: 120000 }, async () => {
  const [op] = await signInMany(srv, [DEMO.operator]);
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
  const { bodyId } = await demoIds(op);
  const bp = await pageFor(admin, `/bodies/${bodyId}?tab=settings`, 'pl', DESKTOP);
  await bp.locator('summary', { hasText: txt('pl', 'body.edit') }).click();
  const min = bp.getByLabel(txt('pl', 'body.checkMin'));
  assert.equal(await min.inputValue(), '120', 'the default');
  // Out of range: the server refuses, the form says so at the field, nothing is stored.
  await min.fill('5');
  await bp.getByRole('button', { name: txt('pl', 'common.save') }).click();
  await bp.locator('[data-field="attendance_min_s"] .field-error:not(:empty)').waitFor({ timeout: 10000 });
  assert.equal((await ok(admin.get(`/api/bodies/${bodyId}`), 'body')).attendance_min_s, 120);
  await min.fill('300');
  await bp.getByLabel(txt('pl', 'body.audioKbps')).selectOption('48');
  await bp.getByRole('button', { name: txt('pl', 'common.save') }).click();
  await bp.locator('[data-check-min="300"]').waitFor({ timeout: 10000 });
  await bp.locator('[data-audio-kbps="48"]').waitFor();
  const b = await ok(admin.get(`/api/bodies/${bodyId}`), 'body');
  assert.deepEqual([b.attendance_min_s, b.audio_kbps], [300, 48]);
  await axeClean(bp, 'body settings with the check minimum and audio bitrate (pl)');

  const m = await createMeeting(op, bodyId, { title: 'Posiedzenie z dłuższym sprawdzaniem obecności' });
  await ok(op.post(`/api/meetings/${m.id}/start`, {}), 'start');
  const con = await pageFor(op, `/meetings/${m.id}/console`, 'pl', DESKTOP);
  const form = con.locator('form[data-form="attendance"]');
  const dur = form.getByLabel(txt('pl', 'console.duration'));
  await dur.waitFor({ timeout: 15000 });
  assert.equal(await dur.inputValue(), '300', 'the check lasts the body\'s minimum by default');
  assert.match(await form.innerText(), /Co najmniej 300 s/);
  await dur.fill('200');
  await form.getByRole('button', { name: txt('pl', 'console.startCheck') }).click();
  await form.locator('.field-error:not(:empty)').first().waitFor({ timeout: 10000 });
  assert.equal((await ok(op.get(`/api/meetings/${m.id}/state`), 'state')).attendance.is_check_open, false, '200 s under a 300 s minimum: no check');
  await form.getByLabel(txt('pl', 'console.overrideMinimum', { min: 300 })).check();
  await form.getByRole('button', { name: txt('pl', 'console.startCheck') }).click();
  await eventually(async () => (await ok(op.get(`/api/meetings/${m.id}/state`), 'state')).attendance.is_check_open === true, 10000);
  assert.equal(await con.locator('select[name="audio-bitrate"]').inputValue(), '48', 'the console\'s encoder starts at the body\'s bitrate');
  await axeClean(con, 'console with the body\'s minimum (pl)');
  await ok(admin.patch(`/api/bodies/${bodyId}`, { attendance_min_s: 120, audio_kbps: 32 }), 'back to the defaults');
});
