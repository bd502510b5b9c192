// The room and the phone (issue 20 points 6, 7, 8 and 10), in real Chromium
// with a body of 100 members: the projector at 1920×1080 fits one screen
// without scrolling with every name, while a vote is open and with its
// result; on a 390×844 phone the header is one line with a menu, there is one
// connection indicator, the broadcast link and the help phone sit at the top
// (the link gone once the meeting closes), and "present", the vote buttons
// and the secret ballot's buttons are visible without scrolling. axe in
// Polish and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, stopAll, signIn, signInMany, demoIds, DEMO, SESSION_COOKIE, ok,
} from '../e2e/lib.mjs';
import {
  launchBrowser, newContext, watchPage, runAxe, formatViolations, screenshot, PHONE,
} from './browser.mjs';

const WIDE = { width: 1920, height: 1080 };
const FIRST = ['Małgorzata', 'Bartłomiej', 'Franciszek', 'Elżbieta', 'Krzysztof', 'Agnieszka', 'Przemysław', 'Katarzyna', 'Włodzimierz', 'Grażyna'];
const LAST = ['Szczepańska-Wiśniewska', 'Dąbrowski', 'Kowalczyk', 'Lewandowska', 'Zieliński', 'Piotrowska', 'Woźniak', 'Kamińska', 'Jankowski', 'Krawczyk'];
const T = 20000;

let browser;
let srv;
const watches = [];

before(async () => {
  browser = await launchBrowser();
  srv = await startServer({ args: ['--demo-bare'] });
});

after(async () => {
  await browser?.close();
  await stopAll();
});

async function pageFor(client, viewport, lang = 'pl') {
  const ctx = await newContext(browser, { viewport });
  await ctx.addCookies([{ name: SESSION_COOKIE, value: client.cookie, url: srv.url }]);
  await ctx.addInitScript((l) => {
    window.localStorage.setItem('obrady.signedIn', '1');
    if (!window.localStorage.getItem('obrady.lang')) window.localStorage.setItem('obrady.lang', l);
  }, lang);
  const page = await ctx.newPage();
  watches.push(await watchPage(page));
  return page;
}

async function axeClean(page, label) {
  const v = await runAxe(page);
  assert.equal(v.length, 0, `${label}:\n${formatViolations(v)}`);
}

/** The page fits its viewport: nothing to scroll, and every name of the grid on screen. */
async function fitsOneScreen(page, label) {
  const m = await page.evaluate(() => {
    const rows = [...document.querySelectorAll('[data-list="named"] tbody tr')];
    return {
      doc: document.documentElement.scrollHeight,
      vw: document.documentElement.scrollWidth,
      h: window.innerHeight,
      w: window.innerWidth,
      rows: rows.length,
      lowest: Math.max(...rows.map((r) => r.getBoundingClientRect().bottom)),
      bar: document.querySelector('[data-tally-bar]')?.getBoundingClientRect().bottom ?? null,
    };
  });
  assert.equal(m.rows, 100, `${label}: every member on the projector`);
  assert.ok(m.doc <= m.h, `${label}: document ${m.doc}px tall in a ${m.h}px screen`);
  assert.ok(m.vw <= m.w, `${label}: ${m.vw}px wide in ${m.w}px`);
  assert.ok(m.lowest <= m.h, `${label}: the last name ends at ${m.lowest}px`);
  assert.ok(m.bar !== null && m.bar <= m.h, `${label}: the result bar is on screen`);
}

/** Every element matching selector is inside the viewport without scrolling. */
async function onFirstScreen(page, selector, label) {
  const boxes = await page.evaluate((sel) => ({
    y: window.scrollY,
    h: window.innerHeight,
    boxes: [...document.querySelectorAll(sel)].map((e) => e.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom, height: r.height })),
  }), selector);
  assert.equal(boxes.y, 0, `${label}: not scrolled`);
  assert.ok(boxes.boxes.length > 0, `${label}: ${selector} is there`);
  for (const b of boxes.boxes) {
    assert.ok(b.top >= 0 && b.bottom <= boxes.h, `${label}: ${selector} at ${b.top}..${b.bottom} of ${boxes.h}`);
    assert.ok(b.height >= 44, `${label}: ${selector} is ${b.height}px tall`);
  }
}

test('projector with 100 members fits 1920×1080; the phone header, present and vote buttons fit 390×844; broadcast and help phone at the top', { timeout: 240000 }, async () => {
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
  const { orgId } = await demoIds(admin);
  const body = await ok(admin.post(`/api/orgs/${orgId}/bodies`, { name: 'Rada Powiatu', statutory_size: 100, quorum_rule: 'none', help_phone: '+48 71 000 11 22' }), 'body');
  const rows = Array.from({ length: 100 }, (_, i) => `${FIRST[i % 10]} ${LAST[Math.floor(i / 10)]};osoba${String(i).padStart(3, '0')}@${DEMO.domain}`);
  await ok(admin.api('POST', `/api/bodies/${body.id}/members/import`, `name;email\n${rows.join('\n')}\n`, { headers: { 'content-type': 'text/csv' } }), 'import');
  const voters = await signInMany(srv, [0, 1, 2, 3, 4, 5].map((i) => `osoba${String(i).padStart(3, '0')}@${DEMO.domain}`));
  const m = await ok(admin.post(`/api/bodies/${body.id}/meetings`, {
    title: 'Sesja Rady Powiatu', number: 'VII', starts_at: new Date(Date.now() + 3600e3).toISOString(), mode: 'hybrid', public: true,
    broadcast_url: 'https://transmisja.example/rada',
  }), 'meeting');
  const P = `/api/meetings/${m.id}`;
  await ok(admin.post(`${P}/start`, {}), 'start');

  // The phone: one header line, the menu, one indicator, help at the top.
  const phone = await pageFor(voters[0], PHONE);
  await phone.goto(`${srv.url}/meetings/${m.id}`);
  await phone.waitForSelector('html[data-ready="true"]');
  await phone.locator('[data-conn][data-state="connected"]').waitFor({ timeout: T });
  const header = await phone.locator('.site-header').boundingBox();
  assert.ok(header.height <= 90, `the phone header is ${header.height}px tall`);
  assert.equal(await phone.locator('[data-lang="en"]').isVisible(), false, 'language buttons are in the menu');
  assert.equal(await phone.locator('.live[role="status"]:visible').count(), 1, 'one connection indicator');
  await onFirstScreen(phone, '#menu-toggle', 'menu button');
  await onFirstScreen(phone, '[data-link="broadcast"]', 'broadcast link');
  assert.match(await phone.locator('[data-help-phone]').innerText(), /\+48 71 000 11 22/);
  assert.equal(await phone.locator('[data-help-phone] a').getAttribute('href'), 'tel:+48710001122');
  await phone.click('#menu-toggle');
  assert.equal(await phone.locator('#menu-toggle').getAttribute('aria-expanded'), 'true');
  await phone.locator('[data-lang="en"]').waitFor();
  await axeClean(phone, 'phone, menu open (pl)');
  await phone.keyboard.press('Escape');
  await phone.locator('[data-lang="en"]').waitFor({ state: 'hidden' });

  const chk = await ok(admin.post(`${P}/attendance-checks`, { duration_s: 600 }), 'check');
  await phone.locator('[data-action="present"]').waitFor({ timeout: T });
  await onFirstScreen(phone, '[data-action="present"]', 'present button');
  await screenshot(phone, 'screens-phone-present', { fullPage: false });
  await phone.click('[data-action="present"]');
  await Promise.all(voters.slice(1).map((c) => ok(c.post(`${P}/attendance-checks/${chk.check_id}/present`, {}), 'present')));

  const v = await ok(admin.post(`${P}/votes`, { title: 'Uchwała w sprawie zmiany budżetu powiatu na rok 2027', kind: 'open', duration_s: 600 }), 'vote');
  await ok(admin.post(`/api/votes/${v.id}/open`, {}), 'open');
  await phone.locator('.ballot-buttons button').first().waitFor({ timeout: T });
  await onFirstScreen(phone, '.ballot-buttons button', 'vote buttons');
  await axeClean(phone, 'phone, vote (pl)');
  await phone.click('#menu-toggle');
  await phone.click('[data-lang="en"]');
  await phone.waitForFunction(() => document.documentElement.lang === 'en');
  await phone.keyboard.press('Escape');
  await onFirstScreen(phone, '.ballot-buttons button', 'vote buttons (en)');
  await axeClean(phone, 'phone, vote (en)');
  await phone.click('.ballot-buttons [data-choice="yes"], .ballot-buttons button >> nth=0');
  const picks = ['yes', 'no', 'abstain', 'yes', 'yes'];
  await Promise.all(voters.slice(1).map((c, i) => ok(c.post(`/api/votes/${v.id}/ballots`, { ballot_id: `screens-${i}-ballot`, choice: picks[i] }), 'ballot')));

  // The projector: the open vote with 100 names, then the result, one screen each.
  const proj = await pageFor(admin, WIDE);
  await proj.goto(`${srv.url}/meetings/${m.id}/projector`);
  await proj.waitForSelector('html[data-ready="true"]');
  await proj.locator('[data-region="vote"][data-vote-status="open"]').waitFor({ timeout: T });
  await proj.waitForFunction(() => document.querySelectorAll('[data-list="named"] [data-choice="yes"]').length >= 3, null, { timeout: T });
  await fitsOneScreen(proj, 'projector, open vote');
  await axeClean(proj, 'projector, open vote (pl)');
  await ok(admin.post(`/api/votes/${v.id}/close`, {}), 'close');
  await proj.locator('[data-region="vote"][data-vote-status="closed"] [data-result]').waitFor({ timeout: T });
  await screenshot(proj, 'screens-projector-100', { fullPage: true });
  await fitsOneScreen(proj, 'projector, result');
  await axeClean(proj, 'projector, result (pl)');
  await proj.evaluate(() => window.localStorage.setItem('obrady.lang', 'en'));
  await proj.reload();
  await proj.locator('[data-region="vote"][data-vote-status="closed"] [data-result]').waitFor({ timeout: T });
  await fitsOneScreen(proj, 'projector, result (en)');
  await axeClean(proj, 'projector, result (en)');

  // A secret motion on the phone: the three answers on the first screen, one tap casts.
  const s = await ok(admin.post(`${P}/votes`, { title: 'Powołanie skarbnika powiatu', kind: 'secret', motion: 'Czy powołać Jana Kowalskiego na skarbnika powiatu?', duration_s: 600 }), 'secret');
  await ok(admin.post(`/api/votes/${s.id}/open`, {}), 'open secret');
  const answers = phone.locator(`[data-secret-vote="${s.id}"] button[data-option]`);
  await answers.first().waitFor({ timeout: T });
  assert.equal(await answers.count(), 3);
  await onFirstScreen(phone, `[data-secret-vote="${s.id}"] button[data-option]`, 'secret answers (en)');
  assert.equal(await phone.locator(`[data-secret-vote="${s.id}"] [data-action="audit-mode"]`).getAttribute('aria-pressed'), 'false');
  await axeClean(phone, 'phone, secret ballot (en)');
  await screenshot(phone, 'screens-phone-secret', { fullPage: false });
  await answers.nth(1).click();
  await phone.locator(`[data-secret-vote="${s.id}"] [data-secret="receipt"]`).waitFor({ timeout: T });
  const mine = await ok(voters[0].get(`/api/votes/${s.id}`), 'my secret vote');
  assert.equal(mine.has_voted, true, 'one tap cast the ballot');
  await ok(admin.post(`/api/votes/${s.id}/close`, {}), 'close secret');

  // Over: no broadcast link on the phone any more.
  await ok(admin.post(`${P}/close`, {}), 'close meeting');
  await phone.locator('[data-link="broadcast"]').waitFor({ state: 'detached', timeout: T });
  for (const w of watches) {
    assert.deepEqual(w.csp, [], 'no CSP violations');
    assert.deepEqual(w.errors, [], 'no console errors');
  }
});

test('the office\'s home lists its organisations\' meetings with the next task; the body page is split in parts', { timeout: 120000 }, async () => {
  const op = await signIn(srv, DEMO.operator, { via: 'stdout' });
  const { bodyId } = await demoIds(op);
  const draft = await ok(op.post(`/api/bodies/${bodyId}/meetings`, { title: 'Sesja nadzwyczajna', starts_at: '2031-05-01T17:00:00+02:00', mode: 'remote' }), 'draft');
  const held = await ok(op.post(`/api/bodies/${bodyId}/meetings`, { title: 'Sesja zakończona', starts_at: new Date().toISOString(), mode: 'remote' }), 'held');
  await ok(op.post(`/api/meetings/${held.id}/start`, {}), 'start');
  await ok(op.post(`/api/meetings/${held.id}/close`, {}), 'close');
  const page = await pageFor(op, { width: 1280, height: 900 });
  await page.goto(`${srv.url}/`);
  await page.waitForSelector('html[data-ready="true"]');
  const office = page.locator('[data-section="office"]');
  await office.waitFor({ timeout: T });
  const card = office.locator(`[data-meeting-id="${draft.id}"]`);
  assert.equal(await card.getAttribute('data-task'), 'office.task.agenda');
  assert.equal(await card.locator('.office-task a').getAttribute('href'), `/meetings/${draft.id}`);
  const closed = office.locator(`[data-meeting-id="${held.id}"][data-status="closed"]`);
  assert.equal(await closed.locator('.office-task a').getAttribute('href'), `/api/meetings/${held.id}/protocol.pdf`);
  assert.doesNotMatch(await page.locator('main').innerText(), /Nie należysz jeszcze do żadnego organu/);
  await axeClean(page, 'office home (pl)');

  await page.goto(`${srv.url}/bodies/${bodyId}`);
  await page.locator('[data-tab="meetings"][aria-current="page"]').waitFor({ timeout: T });
  assert.equal(await page.locator('[data-section="members"]').count(), 0, 'members are in their own part');
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (const tab of ['members', 'import', 'settings']) {
    await page.locator(`[data-tab="${tab}"]`).click();
    await page.locator(`[data-tab="${tab}"][aria-current="page"]`).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('tab'), tab);
  }
  await page.locator('[data-body="facts"]').waitFor();
  assert.equal(await page.locator('summary', { hasText: 'Zmień informacje o organie' }).count(), 0, 'an operator does not edit the body');
  // The organisation's admin sets the help phone in the settings part.
  const admin = await pageFor(await signIn(srv, DEMO.admin, { via: 'stdout' }), { width: 1280, height: 900 });
  await admin.goto(`${srv.url}/bodies/${bodyId}?tab=settings`);
  await admin.locator('summary', { hasText: 'Zmień informacje o organie' }).click();
  await admin.getByLabel('Telefon pomocy w czasie sesji').fill('+48 12 999 88 77');
  await admin.locator('details.disclosure form button[type="submit"]').click();
  await admin.locator('[data-body="facts"]', { hasText: '+48 12 999 88 77' }).waitFor({ timeout: T });
  assert.equal((await ok(op.get(`/api/bodies/${bodyId}`), 'body')).help_phone, '+48 12 999 88 77');
  await axeClean(admin, 'body settings (pl)');
  await page.evaluate(() => window.localStorage.setItem('obrady.lang', 'en'));
  await page.goto(`${srv.url}/`);
  await page.locator('[data-section="office"]').waitFor({ timeout: T });
  await axeClean(page, 'office home (en)');
  assert.ok(height < 2500, `the body's meetings part is ${height}px tall`);
});
