// Roll-call by hand on the console (issue 17 item 1), in real Chromium: the
// operator opens "roll call by hand" for an open vote, enters a member's
// answer; the live named list marks it "ręcznie"; entering a member who
// already voted electronically shows the server's reason in the form; the
// same in English ("by hand"). axe-clean in pl and en, on a phone; no
// console errors or CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  startServer, stopAll, signInMany, demoIds, createMeeting, DEMO, SESSION_COOKIE, eventually, ok,
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

async function consolePage(client, meetingId, lang, viewport) {
  const { page, watch } = await signedInPage(browser, { srvUrl: srv.url, cookieName: SESSION_COOKIE, client, url: `/meetings/${meetingId}/console`, lang, viewport });
  watched.push({ page, watch, lang });
  return page;
}

async function axeClean(page, label) {
  const v = await runAxe(page);
  assert.equal(v.length, 0, `${label}:\n${formatViolations(v)}`);
}

test('roll call by hand on the console: entry marked in the named list, refusal shown, pl and en, axe-clean', { timeout: 120000 }, async () => {
  const [op, chair, r1, r2, r3] = await signInMany(srv, [DEMO.operator, DEMO.chair, DEMO.member(1), DEMO.member(2), DEMO.member(3)]);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja — awaria tabletów' });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await Promise.all([chair, r1, r2].map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), 'present')));
  await eventually(async () => (await op.get(`${P}/state`)).json.attendance.is_check_open === false, 5000);
  const v = await ok(op.post(`${P}/votes`, { title: 'Uchwała w sprawie oświetlenia', duration_s: 900 }), 'vote');
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  await ok(r1.post(`/api/votes/${v.id}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 'electronic ballot');

  // ---- Polish, on a phone
  const pl = await consolePage(op, m.id, 'pl', PHONE);
  const box = pl.locator(`[data-disclosure="hand-${v.id}"]`);
  await box.locator('summary').click();
  const form = box.locator('form[data-form="hand"]');
  await axeClean(pl, 'console with the roll-call form (pl, phone)');
  // Nobody chosen: the field says so.
  await form.getByRole('button', { name: txt('pl', 'vote.handSubmit') }).click();
  await form.getByText(txt('pl', 'vote.handMemberMissing')).waitFor();
  // A member who voted electronically: the server's reason.
  await form.getByLabel(txt('pl', 'vote.handMember')).selectOption(r1.user.id);
  await form.getByRole('button', { name: txt('pl', 'vote.handSubmit') }).click();
  await form.getByText(/już zagłosowała elektronicznie/).first().waitFor();
  // A member whose tablet failed: entered, and marked in the live named list.
  await form.getByLabel(txt('pl', 'vote.handMember')).selectOption(r3.user.id);
  await form.getByLabel(txt('pl', 'vote.handChoice')).selectOption('no');
  await form.getByRole('button', { name: txt('pl', 'vote.handSubmit') }).click();
  await form.getByText(txt('pl', 'vote.handDone')).waitFor();
  const row = pl.locator(`[data-region="vote-live"] [data-list="named"] tr[data-user-id="${r3.user.id}"]`);
  await row.locator('[data-by-hand]').waitFor();
  assert.equal((await row.locator('[data-by-hand]').innerText()).trim(), txt('pl', 'vote.byHandBadge'));
  assert.match(await row.innerText(), new RegExp(txt('pl', 'vote.choice.no')));
  const r1Row = pl.locator(`[data-region="vote-live"] [data-list="named"] tr[data-user-id="${r1.user.id}"]`);
  assert.equal(await r1Row.locator('[data-by-hand]').count(), 0, 'an electronic ballot is not marked');
  const vote = (await op.get(`/api/votes/${v.id}`)).json;
  assert.equal(vote.named.find((n) => n.user_id === r3.user.id).by_hand, true, 'the server recorded it by hand');
  await axeClean(pl, 'console after a hand entry (pl, phone)');
  await screenshot(pl, 'hand-console-pl-phone');
  void r2;

  // ---- English, desktop
  const en = await consolePage(op, m.id, 'en', DESKTOP);
  const enBox = en.locator(`[data-disclosure="hand-${v.id}"]`);
  await enBox.locator('summary').click();
  await enBox.getByText(txt('en', 'vote.handHint')).waitFor();
  const enRow = en.locator(`[data-region="vote-live"] [data-list="named"] tr[data-user-id="${r3.user.id}"] [data-by-hand]`);
  await enRow.waitFor();
  assert.equal((await enRow.innerText()).trim(), txt('en', 'vote.byHandBadge'));
  await axeClean(en, 'console with the roll-call form (en)');

  for (const { watch, lang } of watched) {
    // The one refusal the test provokes is logged by the browser as a failed resource.
    const errors = watch.errors.filter((e) => !/status of 409 \(Conflict\).*\/hand:/.test(e));
    assert.deepEqual(errors, [], `console errors (${lang})`);
    assert.deepEqual(watch.csp, [], `CSP violations (${lang})`);
  }
});
