// Attendance and activity over a period (issue 17 item 4) in real Chromium:
// the body page's "attendance" tab for the office (Polish, phone) and the
// chair (English, desktop): the period form, the summary table with each
// member's meetings, attendance and votes, the PDF and CSV links for the same
// period in the page's language; a reversed or too long period refused next
// to the "to" field; no tab for an ordinary member. axe-clean in pl and en;
// no console errors or CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  signInMany, demoIds, createMeeting, DEMO, eventually, ok,
} from '../e2e/lib.mjs';
import { PHONE, DESKTOP, txt, demoSuite } from './browser.mjs';

const suite = demoSuite({ before, after });
const { pageFor, axeClean, pages } = suite;

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Warsaw' }).format(new Date());

test('attendance tab: period form, summary, PDF/CSV links, refusals, pl phone and en desktop', { timeout: 120000 }, async () => {
  const [op, chair, r1, r2] = await signInMany(suite.srv, [DEMO.operator, DEMO.chair, DEMO.member(1), DEMO.member(2)]);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja do zestawienia', number: 'XX' });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await Promise.all([chair, r1].map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), 'present')));
  await eventually(async () => (await op.get(`${P}/state`)).json.attendance.is_check_open === false, 5000);
  const v = await ok(op.post(`${P}/votes`, { title: 'Uchwała', duration_s: 600 }), 'vote');
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  await ok(r1.post(`/api/votes/${v.id}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 'r1 votes');
  await ok(op.post(`/api/votes/${v.id}/close`, {}), 'close vote');
  await ok(op.post(`${P}/close`, {}), 'close');
  const day = today();

  // The office, Polish, on a phone.
  const pl = await pageFor(op, `/bodies/${bodyId}?tab=attendance`, 'pl', PHONE);
  await pl.getByRole('heading', { name: txt('pl', 'activity.heading') }).waitFor();
  assert.equal(await pl.locator('[data-tab="attendance"][aria-current="page"]').count(), 1, 'the tab is current');
  await pl.getByLabel(txt('pl', 'activity.from')).fill(day);
  await pl.getByLabel(txt('pl', 'activity.to')).fill(day);
  await pl.getByRole('button', { name: txt('pl', 'activity.show') }).click();
  const table = pl.locator('table[data-attendance="summary"]');
  await table.waitFor();
  assert.equal(await table.locator('tbody tr').count(), DEMO.memberCount);
  const r1Row = table.locator(`tr[data-user-id="${r1.user.id}"]`);
  assert.deepEqual(await r1Row.locator('td').allTextContents(), ['1', '1', '0', '1/1', '0'], 'r1: one meeting attended, voted');
  const r2Row = table.locator(`tr[data-user-id="${r2.user.id}"]`);
  assert.deepEqual(await r2Row.locator('td').allTextContents(), ['1', '0', '1', '0/1', '1'], 'r2: absent, did not vote');
  await pl.getByText(txt('pl', 'activity.shown', { count: 1 }, 'one')).waitFor();
  const pdfHref = await pl.locator('[data-attendance-pdf]').getAttribute('href');
  assert.equal(pdfHref, `/api/bodies/${bodyId}/attendance.pdf?from=${day}&to=${day}&lang=pl`);
  const csvHref = await pl.locator('[data-attendance-csv]').getAttribute('href');
  const csv = await pl.evaluate(async (u) => (await fetch(u)).text(), csvHref);
  assert.match(csv, /^\uFEFF?Imię i nazwisko,Data,Nr,Posiedzenie,/, 'the CSV link serves the Polish CSV');
  const btn = await pl.getByRole('button', { name: txt('pl', 'activity.show') }).boundingBox();
  assert.ok(btn.height >= 44, `button height ${btn.height}`);
  await axeClean(pl, 'attendance tab with the summary (pl, phone)');

  // A reversed period: the message next to "to", focus there.
  await pl.getByLabel(txt('pl', 'activity.from')).fill('2026-02-01');
  await pl.getByLabel(txt('pl', 'activity.to')).fill('2026-01-31');
  await pl.getByRole('button', { name: txt('pl', 'activity.show') }).click();
  const toField = pl.locator('[data-field="to"]');
  await toField.locator('.field-error', { hasText: txt('pl', 'activity.error.reversed') }).waitFor();
  assert.equal(await toField.locator('input').getAttribute('aria-invalid'), 'true');
  assert.equal(await table.count(), 0, 'no stale summary under a refusal');
  await axeClean(pl, 'attendance tab with a refusal (pl)');

  // The chair, English, desktop: too long a period refused, then a valid one.
  const en = await pageFor(chair, `/bodies/${bodyId}?tab=attendance`, 'en', DESKTOP);
  await en.getByRole('heading', { name: txt('en', 'activity.heading') }).waitFor();
  await en.getByLabel(txt('en', 'activity.from')).fill('2018-01-01');
  await en.getByLabel(txt('en', 'activity.to')).fill(day);
  await en.getByRole('button', { name: txt('en', 'activity.show') }).click();
  await en.locator('[data-field="to"] .field-error', { hasText: txt('en', 'activity.error.tooLong') }).waitFor();
  await en.getByLabel(txt('en', 'activity.from')).fill(`${day.slice(0, 4)}-01-01`);
  await en.getByRole('button', { name: txt('en', 'activity.show') }).click();
  await en.locator('table[data-attendance="summary"]').waitFor();
  await en.getByRole('columnheader', { name: txt('en', 'activity.votesNotCast') }).waitFor();
  assert.match(await en.locator('[data-attendance-csv]').getAttribute('href'), /&lang=en$/);
  await axeClean(en, 'attendance tab with the summary (en, desktop)');

  // An ordinary member has no such tab.
  const mem = await pageFor(r2, `/bodies/${bodyId}`, 'pl', PHONE);
  await mem.locator('[data-tabs="body"]').waitFor();
  assert.equal(await mem.locator('[data-tab="attendance"]').count(), 0);

  // The browser logs the refusals asked for above; nothing else.
  pages.assertQuiet(/Failed to load resource: .* 400 .*\/attendance\?from=/);
});
