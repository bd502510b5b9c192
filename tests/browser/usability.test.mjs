// What the chair, the clerk and a resident tripped on (issue 20), in real
// Chromium against `obrady serve --demo`, on a private meeting: the new-vote
// form follows the meeting's current item after the console has loaded (and
// keeps an item the operator picked); the console, the member's phone and
// the public view link the protocol and each closed vote's report, and the
// links download PDFs; an open vote's live named list tells the absent from
// those who did not vote yet; /verify checks a closed secret vote of the private
// meeting for someone not signed in, from the address on its report, and no
// "loading" banner stays; a blank election ballot asks first; a question "to
// the chair" reaches the chair's console only; the preparation page warns of
// a short notice and offers the reminder; a closed meeting offers no new
// vote and its public view no current item, quorum or broadcast. axe in
// Polish and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  startServer, stopAll, signInMany, demoIds, createMeeting, DEMO, SESSION_COOKIE, eventually, ok,
} from '../e2e/lib.mjs';
import {
  PHONE, DESKTOP, txt, launchBrowser, newContext, watchPage, openReady, assertAxeClean,
} from './browser.mjs';

let browser;
let srv;
let op;
let chair;
let voter;
let clientOther;
let m;
let P;
const items = {};
const watches = [];

before(async () => {
  browser = await launchBrowser();
  srv = await startServer({ args: ['--demo'] });
  const present = [DEMO.chair, ...[1, 2, 3, 4, 5, 6, 7].map((n) => DEMO.member(n))]; // 8 of 15: quorum
  const clients = await signInMany(srv, [DEMO.operator, ...present]);
  [op, chair, voter, clientOther] = clients;
  const { bodyId } = await demoIds(op);
  m = await createMeeting(op, bodyId, { title: 'Sesja nadzwyczajna', number: 'XLI', public: false });
  P = `/api/meetings/${m.id}`;
  for (const k of ['budget', 'election', 'other']) {
    const it = await ok(op.post(`${P}/agenda`, { title: { budget: 'Budżet gminy', election: 'Wybór skarbnika', other: 'Sprawy różne' }[k] }), 'agenda');
    items[k] = it.item_id;
  }
  await ok(op.post(`${P}/start`, {}), 'start');
  await ok(op.post(`${P}/current-item`, { item_id: items.budget }), 'current item');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await Promise.all(clients.slice(1).map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), 'present')));
  await eventually(async () => {
    const st = (await op.get(`${P}/state`)).json;
    return !st.attendance.is_check_open && st.attendance.present_count === present.length;
  }, 8000);
});

after(async () => {
  for (const { watch, label } of watches) {
    assert.deepEqual(watch.csp, [], `${label}: no CSP violations`);
  }
  await browser?.close();
  await stopAll();
});

async function pageFor(client, label, { viewport = DESKTOP } = {}) {
  const ctx = await newContext(browser, { viewport, acceptDownloads: true });
  if (client) {
    await ctx.addCookies([{ name: SESSION_COOKIE, value: client.cookie, url: srv.url }]);
    await ctx.addInitScript(() => {
      try {
        window.localStorage.setItem('obrady.signedIn', '1');
      } catch {
        /* no storage */
      }
    });
  }
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  watches.push({ watch, label });
  return { ctx, page, watch };
}

const open = (page, p) => openReady(page, srv.url + p);
const axeClean = assertAxeClean;

/** Switches to English as a user would: on a phone the language buttons are in the header's menu. */
async function toEnglish(page) {
  const btn = page.locator('[data-lang="en"]');
  if (!(await btn.isVisible())) await page.click('#menu-toggle');
  await btn.click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
}

/** Clicks a download link and checks what arrives is a PDF. */
async function downloadsPdf(page, link, what) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), link.click()]);
  const file = await dl.path();
  const head = fs.readFileSync(file).subarray(0, 5).toString();
  assert.equal(head, '%PDF-', `${what}: a PDF arrives`);
}

test('point 1: the new-vote form follows the current item changed after the console loaded; an item picked by hand stays', { timeout: 90000 }, async () => {
  const { ctx, page } = await pageFor(op, 'console');
  await open(page, `/meetings/${m.id}/console`);
  await page.locator('[data-conn][data-state="connected"]').waitFor();
  await page.locator('[data-disclosure="new-vote"] summary').click();
  const form = page.locator('form[data-form="new-vote"]');
  const itemSel = form.getByLabel(txt('pl', 'vote.itemField'));
  assert.equal(await itemSel.inputValue(), items.budget, 'the current item when the page loaded');

  // The chair moves on to the election on another device.
  await ok(chair.post(`${P}/current-item`, { item_id: items.election }), 'current item: election');
  await page.waitForFunction((id) => document.querySelector('form[data-form="new-vote"] select[name="item_id"]')?.value === id, items.election, { timeout: 10000 });
  await form.getByLabel(txt('pl', 'vote.titleField')).fill('Wybór skarbnika gminy');
  await form.getByRole('button', { name: txt('pl', 'vote.create') }).click();
  const row = page.locator('[data-list="votes"] li', { hasText: 'Wybór skarbnika gminy' });
  await row.waitFor();
  const id1 = await row.getAttribute('data-vote-id');
  assert.equal((await ok(op.get(`/api/votes/${id1}`), 'vote 1')).item_id, items.election, 'stored under the item current at submission');

  // The operator picks the budget by hand; the chair moves to "other"; the pick stays.
  await itemSel.selectOption(items.budget);
  await ok(chair.post(`${P}/current-item`, { item_id: items.other }), 'current item: other');
  await page.locator('[data-region="current"]', { hasText: 'Sprawy różne' }).first().waitFor({ timeout: 10000 }).catch(() => null);
  await eventually(async () => (await op.get(`${P}/state`)).json.current_item === items.other, 5000);
  await page.waitForTimeout(500);
  assert.equal(await itemSel.inputValue(), items.budget, 'the item picked by hand stays');
  await form.getByLabel(txt('pl', 'vote.titleField')).fill('Uchwała budżetowa');
  await form.getByRole('button', { name: txt('pl', 'vote.create') }).click();
  const row2 = page.locator('[data-list="votes"] li', { hasText: 'Uchwała budżetowa' });
  await row2.waitFor();
  const id2 = await row2.getAttribute('data-vote-id');
  assert.equal((await ok(op.get(`/api/votes/${id2}`), 'vote 2')).item_id, items.budget, 'stored under the item picked');
  // After a vote is prepared the form follows the current item again.
  await page.waitForFunction((id) => document.querySelector('form[data-form="new-vote"] select[name="item_id"]')?.value === id, items.other, { timeout: 10000 });
  await axeClean(page, 'console with the new-vote form (pl)');
  await toEnglish(page);
  await axeClean(page, 'console with the new-vote form (en)');
  await ctx.close();
});

test('point 3: the console, the member\'s phone and the public view link the protocol and the vote report; the links download PDFs', { timeout: 90000 }, async () => {
  const list = (await ok(op.get(`${P}/votes`), 'votes')).votes;
  const v = list.find((x) => x.title === 'Uchwała budżetowa') || list[0];
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  await ok(voter.post(`/api/votes/${v.id}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 'ballot');
  await ok(op.post(`/api/votes/${v.id}/close`, {}), 'close');

  const con = await pageFor(op, 'console (reports)');
  await open(con.page, `/meetings/${m.id}/console`);
  const report = con.page.locator(`a[data-report-link="${v.id}"]`);
  await report.waitFor({ timeout: 10000 });
  assert.equal(await report.innerText(), txt('pl', 'report.votePdf', { n: 1 }));
  const proto = con.page.locator('a[data-protocol-link]');
  assert.equal(await proto.innerText(), txt('pl', 'report.protocolDraftPdf'));
  await downloadsPdf(con.page, report, 'console: vote report');
  await downloadsPdf(con.page, proto, 'console: protocol');
  await axeClean(con.page, 'console with report links (pl)');
  await con.ctx.close();

  const mem = await pageFor(voter, 'member (reports)', { viewport: PHONE });
  await open(mem.page, `/meetings/${m.id}`);
  const mreport = mem.page.locator(`a[data-report-link="${v.id}"]`);
  await mreport.waitFor({ timeout: 10000 });
  await downloadsPdf(mem.page, mreport, 'member: vote report');
  await downloadsPdf(mem.page, mem.page.locator('a[data-protocol-link]'), 'member: protocol');
  await axeClean(mem.page, 'member phone with report links (pl)');
  await toEnglish(mem.page);
  assert.equal(await mem.page.locator('a[data-protocol-link]').innerText(), txt('en', 'report.protocolDraftPdf'));
  await axeClean(mem.page, 'member phone with report links (en)');
  await mem.ctx.close();

  // The public view, seen by a participant of this private meeting.
  const pub = await pageFor(chair, 'public view (reports)', { viewport: PHONE });
  await open(pub.page, `/meetings/${m.id}/public`);
  const preport = pub.page.locator(`a[data-report-link="${v.id}"]`).first();
  await preport.waitFor({ timeout: 10000 });
  await downloadsPdf(pub.page, preport, 'public view: vote report');
  await pub.page.locator('a[data-protocol-link]').waitFor();
  await axeClean(pub.page, 'public view with report links (pl)');
  await pub.ctx.close();
});

test('point 4, live: while an open vote runs, the console\'s named list shows members not present as absent, apart from "did not vote", and follows a member who leaves', { timeout: 90000 }, async () => {
  const v = await ok(op.post(`${P}/votes`, { title: 'Uchwała w sprawie nieobecnych', duration_s: 600 }), 'vote');
  const con = await pageFor(op, 'console (live named list)');
  await open(con.page, `/meetings/${m.id}/console`);
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  const list = con.page.locator(`table[data-list="named"][data-vote-id="${v.id}"]`);
  await list.waitFor({ timeout: 10000 });
  const count = async (c) => list.locator(`[data-choice="${c}"]`).count();
  // 15 members, 8 present (before()): 7 absent, 8 present without a ballot yet.
  await eventually(async () => (await count('absent')) === 7 && (await count('none')) === 8, 10000);
  assert.equal(await list.locator('[data-choice="absent"]').first().innerText(), txt('pl', 'vote.absent'));
  assert.notEqual(txt('pl', 'vote.absent'), txt('pl', 'vote.notVoted'));
  await axeClean(con.page, 'console with a live named list and absent members (pl)');
  // A present member leaves during the vote: absent at once, before any close.
  await ok(voter.post(`${P}/presence`, { is_present: false }), 'leave');
  await eventually(async () => (await count('absent')) === 8 && (await count('none')) === 7, 10000);
  await ok(voter.post(`${P}/presence`, { is_present: true }), 'back');
  await eventually(async () => (await count('absent')) === 7, 10000);
  assert.equal((await ok(op.get(`/api/votes/${v.id}`), 'vote')).status, 'open', 'all of it while the vote is open');
  await ok(op.post(`/api/votes/${v.id}/close`, {}), 'close');
  await con.ctx.close();
});

test('point 5: /verify checks a private meeting\'s closed secret vote for someone not signed in, from its report\'s address; no banner stays', { timeout: 120000 }, async () => {
  const sv = await ok(op.post(`${P}/votes`, { title: 'Wybór sekretarza (tajne)', kind: 'secret', duration_s: 600 }), 'secret vote');
  await ok(op.post(`/api/votes/${sv.id}/open`, {}), 'open');
  await ok(op.post(`/api/votes/${sv.id}/close`, {}), 'close');
  await eventually(async () => (await op.get(`/api/votes/${sv.id}`)).json.status === 'closed', 10000);
  const pdf = await op.get(`/api/votes/${sv.id}/report.pdf`);
  assert.equal(pdf.status, 200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'obrady-usab-'));
  fs.writeFileSync(path.join(dir, 'r.pdf'), pdf.body);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  fs.rmSync(dir, { recursive: true, force: true });
  const at = /\/verify\?vote=[A-Za-z0-9_-]+&key=[0-9a-f]{32}/.exec(text);
  assert.ok(at, `the report's verify address: ${text}`);

  const anon = await pageFor(null, 'verify (anonymous)');
  await open(anon.page, at[0]);
  await anon.page.locator('[data-verify="ok"]').waitFor({ timeout: 60000 });
  assert.equal(await anon.page.locator('[data-verify="from-vote"]').innerText(), txt('pl', 'verify.fromVoteDone', { vote: sv.id }));
  assert.doesNotMatch(await anon.page.locator('main').innerText(), /Wczytywanie tablicy/);
  await axeClean(anon.page, 'verify from the report (pl)');
  await toEnglish(anon.page);
  await axeClean(anon.page, 'verify from the report (en)');

  // Without the key the board stays closed to the public, and says so without a stuck banner.
  await open(anon.page, `/verify?vote=${sv.id}`);
  await anon.page.locator('[data-verify="failed"]').waitFor({ timeout: 20000 });
  assert.doesNotMatch(await anon.page.locator('main').innerText(), /Loading the board|Wczytywanie tablicy/);
  await anon.ctx.close();
});

test('point 9: an empty election ballot asks before it is cast; cancelling sends nothing', { timeout: 90000 }, async () => {
  const ev = await ok(op.post(`${P}/votes`, { title: 'Wybór zastępcy skarbnika', method: 'election', candidates: ['Anna Nowak', 'Jan Kowalski'], seats: 1, duration_s: 600 }), 'election');
  const mem = await pageFor(voter, 'member (blank ballot)', { viewport: PHONE });
  await open(mem.page, `/meetings/${m.id}`);
  await ok(op.post(`/api/votes/${ev.id}/open`, {}), 'open');
  const ballot = mem.page.locator(`form[data-ballot="${ev.id}"]`);
  await ballot.waitFor({ timeout: 10000 });
  await ballot.getByRole('button', { name: txt('pl', 'vote.castElection') }).click();
  const question = ballot.locator('.confirm-question');
  await question.waitFor();
  assert.equal(await question.innerText(), txt('pl', 'vote.blankConfirm'));
  await mem.page.waitForTimeout(300);
  assert.equal((await ok(voter.get(`/api/votes/${ev.id}`), 'vote')).my_choices, null, 'nothing cast while the question is open');
  await axeClean(mem.page, 'blank-ballot question, phone (pl)');
  await toEnglish(mem.page);
  await ballot.locator('.confirm-question', { hasText: txt('en', 'vote.blankConfirm') }).waitFor();
  await axeClean(mem.page, 'blank-ballot question, phone (en)');
  await ballot.getByRole('button', { name: txt('en', 'common.cancel') }).click();
  await ballot.getByRole('button', { name: txt('en', 'vote.castElection') }).waitFor();
  assert.equal((await ok(voter.get(`/api/votes/${ev.id}`), 'vote')).my_choices, null, 'cancelled: nothing cast');
  await ballot.getByRole('button', { name: txt('en', 'vote.castElection') }).click();
  await ballot.getByRole('button', { name: txt('en', 'vote.blankYes') }).click();
  await mem.page.locator('[data-ballot-status][data-state="confirmed"]').waitFor({ timeout: 10000 });
  assert.deepEqual((await ok(voter.get(`/api/votes/${ev.id}`), 'vote')).my_choices, [], 'a blank ballot, once confirmed');
  await ok(op.post(`/api/votes/${ev.id}/close`, {}), 'close');
  await mem.ctx.close();
});

test('point 11: a member asks the chair in the chat; the chair\'s console lists it apart, other members do not see it', { timeout: 90000 }, async () => {
  const mem = await pageFor(voter, 'member (chat to chair)', { viewport: PHONE });
  await open(mem.page, `/meetings/${m.id}`);
  const form = mem.page.locator('form[data-form="chat"]');
  await form.getByLabel(txt('pl', 'chat.message')).fill('Czy można przesunąć punkt 3?');
  await form.getByLabel(txt('pl', 'chat.to')).selectOption('chair');
  await form.getByRole('button', { name: txt('pl', 'chat.send') }).click();
  await mem.page.locator('[data-region="chat"] .chat-msg', { hasText: 'Czy można przesunąć punkt 3?' }).locator('[data-to="chair"]').waitFor({ timeout: 10000 });
  await axeClean(mem.page, 'member chat with a question to the chair (pl)');
  await mem.ctx.close();

  const con = await pageFor(chair, 'chair console (chat)');
  await open(con.page, `/meetings/${m.id}/console`);
  await con.page.locator('[data-region="to-chair"] .chat-msg', { hasText: 'Czy można przesunąć punkt 3?' }).waitFor({ timeout: 10000 });
  assert.equal(await con.page.locator('[data-region="chat"] .chat-msg', { hasText: 'Czy można przesunąć punkt 3?' }).count(), 0, 'not in the chat to all');
  // Point 17: the chair's role agrees with her (a woman chair of the demo council).
  assert.equal(await con.page.locator(`[data-region="people"] tr[data-user-id="${chair.user.id}"] td span`).first().innerText(), 'przewodnicząca');
  await toEnglish(con.page);
  await con.page.getByRole('heading', { name: txt('en', 'console.toChair') }).waitFor();
  await axeClean(con.page, 'chair console with the question (en)');
  await con.ctx.close();

  const others = (await ok(clientOther.get(`${P}/state`), 'state of another member')).chat || [];
  assert.equal(others.some((c) => c.text === 'Czy można przesunąć punkt 3?'), false, 'another member does not see it');
});

test('point 13: the preparation page warns of a notice under 7 days before convening, and offers the reminder setting', { timeout: 60000 }, async () => {
  const { bodyId } = await demoIds(op);
  const soon = await createMeeting(op, bodyId, { title: 'Sesja pilna', starts_at: new Date(Date.now() + 3.5 * 86400000).toISOString() });
  await ok(op.post(`/api/meetings/${soon.id}/agenda`, { title: 'Sprawy pilne' }), 'agenda');
  const prep = await pageFor(op, 'preparation (short notice)');
  await open(prep.page, `/meetings/${soon.id}`);
  await prep.page.locator('[data-short-notice="3"]').waitFor({ timeout: 10000 });
  await prep.page.getByRole('button', { name: txt('pl', 'convene.button') }).click();
  assert.equal(await prep.page.locator('[data-region="convene"] .confirm-question').innerText(), txt('pl', 'convene.confirmShort', { days: 3 }));
  await prep.page.locator('[data-disclosure="edit-meeting"] summary').click();
  const reminder = prep.page.getByLabel(txt('pl', 'meeting.reminderDays'));
  assert.equal(await reminder.inputValue(), '7');
  await reminder.fill('2');
  await prep.page.locator('[data-disclosure="edit-meeting"] button[type="submit"]').click();
  await eventually(async () => (await op.get(`/api/meetings/${soon.id}`)).json.reminder_days === 2, 8000);
  await axeClean(prep.page, 'preparation with the short-notice warning (pl)');
  await toEnglish(prep.page);
  await axeClean(prep.page, 'preparation with the short-notice warning (en)');
  await prep.ctx.close();
});

test('point 14: a closed meeting\'s console offers no vote preparation or repeat; its public view shows no current item, quorum or broadcast', { timeout: 90000 }, async () => {
  await ok(op.patch(`${P}`, { broadcast_url: 'https://stream.example/sesja' }), 'broadcast url');
  await ok(op.post(`${P}/close`, {}), 'close meeting');
  const con = await pageFor(op, 'console (closed)');
  await open(con.page, `/meetings/${m.id}/console`);
  await con.page.locator('[data-protocol-link="closed"]').waitFor({ timeout: 10000 });
  assert.equal(await con.page.locator('[data-disclosure="new-vote"]').isVisible(), false, 'no "prepare a vote"');
  assert.equal(await con.page.locator('[data-list="votes"] li[data-vote-status="closed"]').count() > 0, true, 'the closed votes are listed');
  assert.equal(await con.page.locator('[data-disclosure^="repeat-"]').count(), 0, 'no repeat');
  assert.equal(await con.page.locator('[data-list="votes"] [data-action^="open-vote-"]').count(), 0, 'a draft left over cannot be opened');
  await axeClean(con.page, 'closed meeting console (pl)');
  await con.ctx.close();

  const pub = await pageFor(chair, 'public view (closed)', { viewport: PHONE });
  await open(pub.page, `/meetings/${m.id}/public`);
  await pub.page.locator('[data-region="quorum"] [data-closed]').waitFor({ timeout: 10000 });
  assert.equal(await pub.page.locator('[data-region="current"]').isVisible(), false, 'no current item');
  assert.equal(await pub.page.getByText(txt('pl', 'quorum.yes')).count(), 0, 'no quorum line');
  assert.equal(await pub.page.getByRole('link', { name: txt('pl', 'meeting.broadcast') }).count() === 0
    || !(await pub.page.getByRole('link', { name: txt('pl', 'meeting.broadcast') }).isVisible()), true, 'no broadcast button');
  assert.equal(await pub.page.locator('a[data-protocol-link]').innerText(), txt('pl', 'report.protocolPdf'));
  await axeClean(pub.page, 'closed meeting public view (pl)');
  await toEnglish(pub.page);
  await axeClean(pub.page, 'closed meeting public view (en)');
  await pub.ctx.close();
});
