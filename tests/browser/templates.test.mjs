// Meeting templates and copies (issue 17 item 3) in real Chromium: the body
// page's "templates" tab for the office — the standard template and an own
// agenda saved from the form (an empty agenda and a taken name refused next
// to their fields), a new meeting from a template (Polish, phone) and as a
// copy of an earlier meeting (English, desktop), each opening the new
// meeting with the agenda copied; no tab for a member. axe-clean in pl and
// en; no console errors or CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  signInMany, demoIds, createMeeting, DEMO, ok,
} from '../e2e/lib.mjs';
import { PHONE, DESKTOP, txt, demoSuite } from './browser.mjs';

const suite = demoSuite({ before, after });
const { pageFor, axeClean, pages } = suite;

test('templates tab: standard and own templates, meetings from a template and as a copy, refusals, pl and en', { timeout: 120000 }, async () => {
  const [op, member] = await signInMany(suite.srv, [DEMO.operator, DEMO.member(2)]);
  const { bodyId } = await demoIds(op);
  const earlier = await createMeeting(op, bodyId, { title: 'Sesja marcowa', number: 'III' });
  await ok(op.post(`/api/meetings/${earlier.id}/agenda`, { title: 'Sprawozdanie burmistrza' }), 'item');

  const pl = await pageFor(op, `/bodies/${bodyId}?tab=templates`, 'pl', PHONE);
  await pl.getByRole('heading', { name: txt('pl', 'templates.heading') }).waitFor();
  await pl.getByText(txt('pl', 'templates.none')).waitFor();
  await pl.locator('[data-disclosure="new-template"] summary').click();
  await pl.getByLabel(txt('pl', 'templates.name')).fill('Sesja zwyczajna');
  await pl.getByRole('button', { name: txt('pl', 'templates.add') }).click();
  const card = pl.locator('[data-list="templates"] li.card', { hasText: 'Sesja zwyczajna' });
  await card.waitFor();
  assert.equal(await card.locator('ol li').count(), 7, 'the standard agenda');
  await axeClean(pl, 'templates tab with a template (pl, phone)');

  // An own agenda: empty refused next to the field, then saved; a taken name refused.
  await pl.getByLabel(txt('pl', 'templates.name')).fill('Sesja budżetowa');
  await pl.getByLabel(txt('pl', 'templates.standard')).uncheck();
  await pl.getByRole('button', { name: txt('pl', 'templates.add') }).click();
  await pl.locator('[data-field="agenda"] .field-error', { hasText: txt('pl', 'templates.error.agenda') }).waitFor();
  await pl.getByLabel(txt('pl', 'templates.agenda')).fill('Otwarcie\nProjekt budżetu\nZamknięcie');
  await pl.getByRole('button', { name: txt('pl', 'templates.add') }).click();
  await pl.locator('[data-list="templates"] li.card', { hasText: 'Projekt budżetu' }).waitFor();
  await pl.getByLabel(txt('pl', 'templates.name')).fill('Sesja zwyczajna');
  await pl.getByLabel(txt('pl', 'templates.standard')).check();
  await pl.getByRole('button', { name: txt('pl', 'templates.add') }).click();
  await pl.locator('[data-field="name"] .field-error', { hasText: txt('pl', 'templates.error.nameTaken') }).waitFor();
  await axeClean(pl, 'templates tab with a refusal (pl)');

  // A meeting from the standard template: no source refused, then created and opened.
  const btn = await pl.getByRole('button', { name: txt('pl', 'templates.createMeeting') }).boundingBox();
  assert.ok(btn.height >= 44, `button height ${btn.height}`);
  await pl.getByLabel(txt('pl', 'meeting.titleField')).fill('XVI Sesja Rady');
  await pl.getByLabel(txt('pl', 'meeting.date')).fill('2031-06-01');
  await pl.getByRole('button', { name: txt('pl', 'templates.createMeeting') }).click();
  await pl.locator('[data-field="source"] .field-error', { hasText: txt('pl', 'templates.error.source') }).waitFor();
  await pl.getByLabel(txt('pl', 'templates.source')).selectOption({ label: 'Sesja zwyczajna' });
  await pl.getByRole('button', { name: txt('pl', 'templates.createMeeting') }).click();
  await pl.waitForURL(/\/meetings\/[0-9a-z]{20}$/);
  const newId = pl.url().split('/').pop();
  const made = await ok(op.get(`/api/meetings/${newId}`), 'made');
  assert.equal(made.title, 'XVI Sesja Rady');
  assert.equal(made.agenda.length, 7);
  assert.equal(made.agenda[3].title, 'Interpelacje i zapytania radnych');

  // A copy of the earlier meeting, in English on a desktop.
  const en = await pageFor(op, `/bodies/${bodyId}?tab=templates`, 'en', DESKTOP);
  await en.getByRole('heading', { name: txt('en', 'templates.heading') }).waitFor();
  await en.getByLabel(txt('en', 'templates.source')).selectOption({ value: `m:${earlier.id}` });
  await en.getByLabel(txt('en', 'meeting.titleField')).fill('Sesja kwietniowa');
  await en.getByLabel(txt('en', 'meeting.date')).fill('2031-04-10');
  await axeClean(en, 'templates tab (en, desktop)');
  await en.getByRole('button', { name: txt('en', 'templates.createMeeting') }).click();
  await en.waitForURL(/\/meetings\/[0-9a-z]{20}$/);
  const copy = await ok(op.get(`/api/meetings/${en.url().split('/').pop()}`), 'copy');
  assert.notEqual(copy.id, earlier.id);
  assert.deepEqual(copy.agenda.map((x) => x.title), ['Sprawozdanie burmistrza']);

  // A member has no such tab.
  const mem = await pageFor(member, `/bodies/${bodyId}`, 'pl', PHONE);
  await mem.locator('[data-tabs="body"]').waitFor();
  assert.equal(await mem.locator('[data-tab="templates"]').count(), 0);

  // The browser logs the refusals asked for above; nothing else.
  pages.assertQuiet(/Failed to load resource: .* 409 .*\/templates/);
});
