// Interpellations and questions (issue 17 item 2) in real Chromium: a member
// files one on the body page (Polish, phone; an empty subject refused next to
// the field); the office (English, desktop) registers it — a taken number
// refused next to the field, an old day of receipt marks it overdue — and
// records the answer (a day before receipt refused); the member then sees it
// answered; the public register's CSV link answers; the next session's
// agenda item lists what arrived since the previous session. Attachments: the
// member attaches a file to the filing (a wrong type refused), the office one
// to the answer, the public register links both. axe-clean in pl and en;
// no console errors or CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  signInMany, demoIds, DEMO, ok,
} from '../e2e/lib.mjs';
import { PHONE, DESKTOP, txt, demoSuite } from './browser.mjs';

const suite = demoSuite({ before, after });
const { pageFor, axeClean, pages } = suite;

test('interpellations tab: member files, office registers and answers, refusals, pl phone and en desktop', { timeout: 120000 }, async () => {
  const [op, r1, r2] = await signInMany(suite.srv, [DEMO.operator, DEMO.member(1), DEMO.member(2)]);
  const { bodyId } = await demoIds(op);
  const B = `/api/bodies/${bodyId}`;
  // One already registered under the number the office will try again.
  const other = await ok(r2.post(`${B}/interpellations`, { kind: 'question', subject: 'Szkoła', text: 'Pytanie.' }), 'other');
  await ok(op.post(`/api/interpellations/${other.id}/register`, { number: 'IN.1.2026', received_on: '2026-01-05' }), 'register other');

  // The member files, in Polish on a phone.
  const pl = await pageFor(r1, `/bodies/${bodyId}?tab=interpellations`, 'pl', PHONE);
  await pl.getByRole('heading', { name: txt('pl', 'interp.heading') }).waitFor();
  await pl.locator('[data-disclosure="file-interpellation"] summary').click();
  await pl.getByLabel(txt('pl', 'interp.text')).fill('Wnoszę o naprawę chodnika.');
  await pl.getByRole('button', { name: txt('pl', 'interp.file'), exact: true }).click();
  await pl.locator('[data-field="subject"] .field-error', { hasText: txt('pl', 'interp.error.subject') }).waitFor();
  await pl.getByLabel(txt('pl', 'interp.subject')).fill('Chodnik przy ulicy Polnej');
  await pl.getByRole('button', { name: txt('pl', 'interp.file'), exact: true }).click();
  const mine = pl.locator('[data-list="interpellations"] li.card', { hasText: 'Chodnik przy ulicy Polnej' });
  await mine.waitFor();
  await mine.locator('[data-status="filed"]').waitFor();
  assert.equal(await mine.locator('[data-form="register"]').count(), 0, 'a member cannot register');
  // The member attaches files to the filing: a binary named .txt refused next to the field, a PDF listed.
  await mine.locator('summary', { hasText: txt('pl', 'interp.filingFilesHeading') }).click();
  await mine.getByLabel(txt('pl', 'interp.filingFile')).setInputFiles({ name: 'zły.txt', mimeType: 'text/plain', buffer: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]) });
  await mine.getByRole('button', { name: txt('pl', 'interp.attach'), exact: true }).click();
  await mine.locator('[data-field="file"] .field-error').filter({ hasText: /./ }).waitFor();
  await mine.getByLabel(txt('pl', 'interp.filingFile')).setInputFiles({ name: 'zdjęcie chodnika.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\nchodnik\n%%EOF\n') });
  await mine.getByRole('button', { name: txt('pl', 'interp.attach'), exact: true }).click();
  const filingLink = pl.locator('[data-list="interpellations"] li.card [data-attachments="filing"] a', { hasText: 'zdjęcie chodnika.pdf' });
  await filingLink.waitFor();
  await axeClean(pl, 'interpellations tab, member (pl, phone)');
  const id = await mine.getAttribute('data-interpellation-id');

  // The office, in English on a desktop: register (taken number refused), overdue, answer.
  const en = await pageFor(op, `/bodies/${bodyId}?tab=interpellations`, 'en', DESKTOP);
  const card = en.locator(`[data-interpellation-id="${id}"]`);
  await card.waitFor();
  assert.equal(await en.locator('[data-disclosure="file-interpellation"]').count(), 0, 'staff are not members: no filing form');
  await card.locator('summary', { hasText: txt('en', 'interp.registerHeading') }).click();
  await card.getByLabel(txt('en', 'interp.number')).fill('IN.1.2026');
  await card.getByLabel(txt('en', 'interp.receivedOn')).fill('2026-01-10');
  await card.getByRole('button', { name: txt('en', 'interp.register'), exact: true }).click();
  await card.locator('[data-field="number"] .field-error', { hasText: txt('en', 'interp.error.numberTaken') }).waitFor();
  await card.getByLabel(txt('en', 'interp.number')).fill('IN.2.2026');
  await card.getByRole('button', { name: txt('en', 'interp.register'), exact: true }).click();
  const reg = en.locator(`[data-interpellation-id="${id}"][data-status="registered"]`);
  await reg.waitFor();
  await reg.locator('[data-overdue]', { hasText: txt('en', 'interp.overdue') }).waitFor();
  await reg.getByText('2026-01-24').waitFor(); // due 14 days after receipt
  await axeClean(en, 'interpellations tab, office (en, desktop)');
  await reg.locator('summary', { hasText: txt('en', 'interp.answerHeading') }).click();
  await reg.getByLabel(txt('en', 'interp.answer'), { exact: true }).fill('The pavement will be repaired in May.');
  await reg.getByLabel(txt('en', 'interp.answeredOn')).fill('2026-01-09');
  await reg.getByRole('button', { name: txt('en', 'interp.saveAnswer') }).click();
  await reg.locator('[data-field="answered_on"] .field-error', { hasText: txt('en', 'interp.error.early') }).waitFor();
  await reg.getByLabel(txt('en', 'interp.answeredOn')).fill('2026-01-20');
  await reg.getByRole('button', { name: txt('en', 'interp.saveAnswer') }).click();
  const answered = en.locator(`[data-interpellation-id="${id}"][data-status="answered"]`);
  await answered.waitFor();
  // The office attaches the mayor's answer as a file; the member's file is listed for it too.
  await answered.locator('[data-attachments="filing"] a', { hasText: 'zdjęcie chodnika.pdf' }).waitFor();
  await answered.locator('summary', { hasText: txt('en', 'interp.answerFilesHeading') }).click();
  await answered.getByLabel(txt('en', 'interp.answerFile')).setInputFiles({ name: 'Odpowiedź.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\nodpowiedz\n%%EOF\n') });
  await answered.getByRole('button', { name: txt('en', 'interp.attach'), exact: true }).click();
  await en.locator(`[data-interpellation-id="${id}"] [data-attachments="answer"] a`, { hasText: 'Odpowiedź.pdf' }).waitFor();
  await axeClean(en, 'interpellations tab with attachments, office (en, desktop)');
  const stored = (await ok(op.get(`${B}/interpellations`), 'list')).interpellations.find((x) => x.id === id);
  assert.deepEqual([stored.number, stored.received_on, stored.answered_on, stored.answer], ['IN.2.2026', '2026-01-10', '2026-01-20', 'The pavement will be repaired in May.']);

  // The member sees it answered; search finds it; the public CSV link answers.
  await pl.reload();
  await pl.waitForSelector('html[data-ready="true"]');
  await pl.getByLabel(txt('pl', 'interp.search')).fill('POLNEJ');
  await pl.getByRole('button', { name: txt('pl', 'interp.searchButton') }).click();
  await pl.locator(`[data-list="interpellations"] li.card[data-status="answered"][data-interpellation-id="${id}"]`).waitFor();
  // The list before the search (both filed) may still be on screen for a moment: wait for the search's.
  await pl.waitForFunction(() => document.querySelectorAll('[data-list="interpellations"] li.card').length === 1, null, { timeout: 10000 })
    .catch(() => {});
  assert.equal(await pl.locator('[data-list="interpellations"] li.card').count(), 1, 'only the match');
  const csv = await pl.evaluate(async (u) => (await fetch(u)).text(), await pl.locator('[data-interp-csv]').getAttribute('href'));
  assert.match(csv, /IN\.2\.2026,interpelacja,/);
  await axeClean(pl, 'interpellations tab after the answer (pl)');

  // The next session's item "interpelacje i zapytania" lists what arrived since the previous one.
  const tpl = await ok(op.post(`${B}/templates`, { name: 'Sesja', standard: true }), 'template');
  const next = await ok(op.post(`${B}/meetings/from-template`, { template_id: tpl.id, title: 'Sesja następna', starts_at: '2099-06-01T17:00:00+02:00' }), 'next');
  await ok(op.post(`/api/meetings/${next.id}/convene`, {}), 'convene');
  const mp = await pageFor(r1, `/meetings/${next.id}`, 'pl', PHONE);
  const listed = mp.locator('[data-session-interpellations] li');
  await listed.first().waitFor();
  assert.deepEqual((await listed.allTextContents()).map((x) => x.split(' — ')[0]).sort(), ['IN.1.2026', 'IN.2.2026']);
  await mp.getByText(txt('pl', 'interp.sinceLast', { count: 2 }, 'few')).waitFor();
  await axeClean(mp, 'meeting page with the interpellations item (pl)');

  // The public register page (server-rendered): search without JavaScript, axe-clean in both languages.
  assert.equal(await pl.locator('[data-interp-page]').getAttribute('href'), `/public/bodies/${bodyId}/interpellations`);
  await mp.goto(`${suite.srv.url}/public/bodies/${bodyId}/interpellations`);
  assert.equal(await mp.locator('[data-interpellation]').count(), 2);
  // Its attachments are links anyone can follow.
  const pubLink = mp.locator('[data-attachments="answer"] a', { hasText: 'Odpowiedź.pdf' });
  assert.equal(await pubLink.count(), 1);
  assert.equal(await mp.locator('[data-attachments="filing"] a', { hasText: 'zdjęcie chodnika.pdf' }).count(), 1);
  const got = await mp.evaluate(async (u) => { const r = await fetch(u, { credentials: 'omit' }); return [r.status, await r.text()]; }, await pubLink.getAttribute('href'));
  assert.deepEqual(got, [200, '%PDF-1.7\nodpowiedz\n%%EOF\n']);
  await mp.getByLabel('Szukaj (numer, przedmiot, treść, radny)').fill('polnej');
  await mp.getByRole('button', { name: 'Szukaj', exact: true }).click();
  await mp.waitForURL(/q=polnej/);
  assert.equal(await mp.locator('[data-interpellation]').count(), 1);
  await axeClean(mp, 'public register (pl)');
  await mp.goto(`${suite.srv.url}/public/bodies/${bodyId}/interpellations?lang=en`);
  await mp.getByRole('heading', { level: 1, name: /Interpellations and questions/ }).waitFor();
  await axeClean(mp, 'public register (en)');

  // The browser logs the refusals asked for above; nothing else.
  pages.assertQuiet(/Failed to load resource: .* (409|415|422) .*\/interpellations\//);
});
