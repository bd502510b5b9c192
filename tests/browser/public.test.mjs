// The public pages in a real Chromium (issue 7): a visitor who never signs in
// goes from the home page to the public meetings, a meeting and a vote's named
// list — once with JavaScript (the SPA hands over to the server-rendered
// pages), once with JavaScript disabled (the pages need none); the language
// switch works; axe-core finds nothing serious on any public page (axe runs
// in a separate context with JavaScript, as it is injected by evaluate).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  startDemo, stopAll, signInMany, demoIds, DEMO, createMeeting, eventually,
} from '../e2e/lib.mjs';
import {
  PHONE, DESKTOP, dict, launchBrowser, newContext, watchPage, runAxe, formatViolations, screenshot,
} from './browser.mjs';

const TITLE = 'Sesja budżetowa „Łódź” <b>2031</b>';
const VOTE = 'Uchwała w sprawie budżetu gminy';

let browser;
let srv;
let meetingId;
let voteId;
let named;

async function ok(resP, what) {
  const r = await resP;
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

before(async () => {
  browser = await launchBrowser();
  srv = await startDemo();
  const members = [DEMO.chair, ...Array.from({ length: 8 }, (_, i) => DEMO.member(i + 1))];
  const [op, ...present] = await signInMany(srv, [DEMO.operator, ...members]);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: TITLE, public: true });
  meetingId = m.id;
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/agenda`, { title: 'Otwarcie sesji', description: 'Stwierdzenie prawomocności obrad.' }), 'agenda');
  await ok(op.post(`${P}/agenda`, { title: 'Budżet gminy na 2031 r.' }), 'agenda');
  await ok(op.post(`${P}/start`, {}), 'start');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await Promise.all(present.map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), 'present')));
  await eventually(async () => {
    assert.equal((await op.get(`${P}/state`)).json.attendance.is_check_open, false);
    return true;
  }, 4000);
  const v = await ok(op.post(`${P}/votes`, { title: VOTE, motion: 'Rada Gminy uchwala budżet na rok 2031.', duration_s: 600 }), 'vote');
  voteId = v.id;
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  const choices = ['yes', 'yes', 'no', 'abstain', 'yes', 'yes', 'no', 'yes'];
  await Promise.all(present.slice(0, 8).map((x, i) => ok(x.post(`/api/votes/${v.id}/ballots`, { ballot_id: crypto.randomUUID(), choice: choices[i] }), 'ballot')));
  const closed = await ok(op.post(`/api/votes/${v.id}/close`, {}), 'close');
  named = closed.result.named;
});

after(async () => {
  await browser?.close();
  await stopAll();
});

const CHOICE_PL = { yes: 'za', no: 'przeciw', abstain: 'wstrzymuję się', null: 'nie głosował(a)', absent: 'nieobecny/nieobecna' };

/** The named-list table as [[no, name, choice]...]. */
const namedRows = (page) => page.locator('table.named tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children).map((c) => c.textContent.trim())));

async function walkToNamedList(page, shot) {
  await page.getByRole('heading', { level: 1, name: 'Posiedzenia publiczne' }).waitFor();
  await page.getByRole('link', { name: `I — ${TITLE}` }).click();
  await page.getByRole('heading', { level: 1, name: `I — ${TITLE}` }).waitFor();
  assert.deepEqual(await page.locator('ol.agenda > li').evaluateAll((lis) => lis.map((li) => li.firstChild.textContent)), ['Otwarcie sesji', 'Budżet gminy na 2031 r.']);
  await screenshot(page, `public-meeting-${shot}`);
  await page.getByRole('link', { name: VOTE }).click();
  await page.getByRole('heading', { level: 1, name: VOTE }).waitFor();
  assert.equal(new URL(page.url()).pathname, `/public/votes/${voteId}`);
  const rows = await namedRows(page);
  assert.deepEqual(rows, named.map((n, i) => [String(i + 1), n.name, CHOICE_PL[n.choice ?? (n.absent ? 'absent' : null)]]));
  assert.ok(await page.getByRole('table', { name: 'Kto jak głosował' }).isVisible(), 'the table is named by its caption');
  assert.ok(await page.getByRole('link', { name: 'Raport z głosowania (PDF)' }).isVisible());
}

test('with JavaScript: from the home page to the public pages, a meeting and a named vote list', async (t) => {
  const ctx = await newContext(browser, { viewport: DESKTOP });
  t.after(() => ctx.close());
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  await page.goto(`${srv.url}/`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 10000 });
  await page.getByRole('link', { name: dict.pl['landing.public.link'] }).click();
  await page.waitForURL(`${srv.url}/public`);
  await walkToNamedList(page, 'desktop-pl');
  // ...and back to the application.
  await page.getByRole('link', { name: 'Strona główna' }).click();
  await page.waitForSelector('html[data-ready="true"]', { timeout: 10000 });
  assert.equal(await page.locator('h1').first().innerText(), dict.pl['landing.heading']);
  assert.deepEqual(watch.csp, [], 'no CSP violations');
  assert.deepEqual(watch.errors, [], 'no console errors');
});

test('without JavaScript (phone): home page → public meetings → meeting → named list, and in English', async (t) => {
  const ctx = await newContext(browser, { viewport: PHONE, javaScriptEnabled: false, isMobile: true });
  t.after(() => ctx.close());
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/`);
  await page.locator('noscript, .noscript').first().waitFor({ state: 'attached' });
  await page.getByRole('link', { name: 'Posiedzenia publiczne i wyniki głosowań' }).click();
  await page.waitForURL(`${srv.url}/public`);
  await screenshot(page, 'public-home-phone-pl');
  await walkToNamedList(page, 'phone-pl');
  await screenshot(page, 'public-vote-phone-pl');
  // Nothing is wider than the phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no horizontal scrolling on a phone (${overflow}px)`);
  await page.getByRole('link', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: VOTE }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.ok(await page.getByRole('table', { name: 'Who voted how' }).isVisible());
  await page.goto(`${srv.url}/public/meetings/${meetingId}?lang=en`);
  assert.ok(await page.getByRole('heading', { level: 2, name: 'Agenda' }).isVisible());
  await screenshot(page, 'public-meeting-phone-en');
});

test('axe-core: no serious or critical problems on the public pages (phone and desktop)', async (t) => {
  const pages = ['/public', `/public/meetings/${meetingId}`, `/public/votes/${voteId}`,
    `/api/public/votes/${voteId}/named.html`, '/public?lang=en', `/public/votes/${voteId}?lang=en`,
    '/public/meetings/00000000000000000000'];
  for (const viewport of [PHONE, DESKTOP]) {
    const ctx = await newContext(browser, { viewport });
    t.after(() => ctx.close());
    const page = await ctx.newPage();
    const watch = await watchPage(page);
    for (const p of pages) {
      await page.goto(srv.url + p);
      const v = await runAxe(page);
      assert.deepEqual(v, [], `${p} at ${viewport.width}px:\n${formatViolations(v)}`);
    }
    assert.deepEqual(watch.csp, [], 'no CSP violations');
    assert.deepEqual(watch.errors.filter((e) => !/404|Not Found/i.test(e)), [], 'no console errors');
  }
});
