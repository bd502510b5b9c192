// Who is who, and how they get in — in a real Chromium against `obrady serve
// --demo`, as a new user would: read the demo admin's address and the sign-in
// code from the server's console, sign in, create a body, import its members
// from CSV (a bad file first: the preview names the bad line and import stays
// off), then sign in as one imported member in a separate browser context and
// find the body on the dashboard. Also: wrong code and rate limit messages,
// English, axe on every page at phone and desktop sizes, no console errors or
// CSP violations, screenshots in test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, stopAll, sleep } from '../e2e/lib.mjs';
import {
  REPO, PHONE, DESKTOP, dict, txt, launchBrowser, newContext, watchPage, runAxe, formatViolations, screenshot,
} from './browser.mjs';


const DOMAIN = 'przykladowo.example';
const RUN = Date.now().toString(36).slice(-5);
const BODY_NAME = `Komisja Rewizyjna ${RUN}`;
const IMPORTED = [
  { name: 'Zofia Wójcik', email: `zofia.wojcik.${RUN}@${DOMAIN}`, role: 'chair' },
  { name: 'Tomasz Kamiński', email: `tomasz.kaminski.${RUN}@${DOMAIN}`, role: 'member' },
  { name: 'Ewa Nowicka', email: `ewa.nowicka.${RUN}@${DOMAIN}`, role: 'secretary' },
];
const HEADER = 'imię i nazwisko;e-mail;rola;grupy;zewnętrzny';
const BAD_CSV = [
  HEADER,
  `${IMPORTED[0].name};${IMPORTED[0].email};przewodnicząca;;nie`,
  `Jan Obcy;jan.obcy.${RUN}@gmail.example;członek;;nie`,
  `${IMPORTED[2].name};${IMPORTED[2].email};sekretarz;;nie`,
].join('\n') + '\n';
const GOOD_CSV = [
  HEADER,
  `${IMPORTED[0].name};${IMPORTED[0].email};przewodnicząca;;nie`,
  `${IMPORTED[1].name};${IMPORTED[1].email};członek;profesorowie;nie`,
  `${IMPORTED[2].name};${IMPORTED[2].email};sekretarz;;nie`,
].join('\n') + '\n';

let browser;
let srv;
let admin = null; // {ctx, page, watch, email} — the demo admin's signed-in browser
let bodyPath = null;

before(async () => {
  browser = await launchBrowser();
  srv = await startServer({ args: ['--demo-bare'] });
});

after(async () => {
  await browser?.close();
  await stopAll();
});

/** Waits for the server to print a sign-in code for email on stdout after line index from. */
async function codeFor(email, from, ms = 10000) {
  const re = new RegExp(`^sign-in code for ${email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (\\d{6})\\b`);
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const lines = srv.stdout();
    for (let i = lines.length - 1; i >= from; i--) {
      const m = re.exec(lines[i]);
      if (m) return m[1];
    }
    await sleep(50);
  }
  throw new Error(`no sign-in code for ${email} on stdout; stdout:\n${srv.stdout().join('\n')}`);
}

/** The current RFC 6238 code (SHA-1, 30 s, 6 digits) of a base32 secret. */
function totpNow(secretB32) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretB32.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const mac = crypto.createHmac('sha1', key).update(counter).digest();
  const off = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(off) & 0x7fffffff) % 1000000).padStart(6, '0');
}

async function openContext(t, { viewport = DESKTOP, path: p = '/', keep = false, contextOptions = {} } = {}) {
  const ctx = await newContext(browser, { viewport, ...contextOptions });
  if (!keep) t.after(() => ctx.close());
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  await page.goto(srv.url + p);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 10000 });
  return { ctx, page, watch };
}

/** Opens a part of the body's page by its tab (issue 20.15: the page is split). */
async function gotoTab(page, tab) {
  await page.locator(`[data-tab="${tab}"]`).click();
  await page.locator(`[data-tab="${tab}"][aria-current="page"]`).waitFor();
}

function assertClean(watch) {
  assert.deepEqual(watch.csp, [], 'no Content-Security-Policy violations');
  assert.deepEqual(watch.errors, [], 'no console errors or uncaught exceptions');
}

const h1Text = (page) => page.locator('h1').first().innerText();
const waitForH1 = (page, text) => page.waitForFunction((t) => document.querySelector('h1')?.textContent === t, text, { timeout: 10000 });

/** Step 1 and 2 of the sign-in form on the current page (already at /sign-in). */
async function signInOnPage(page, email, lang = 'pl') {
  const from = srv.stdout().length;
  await page.getByLabel(txt(lang, 'signIn.email')).fill(email);
  await page.getByRole('button', { name: txt(lang, 'signIn.sendCode') }).click();
  const code = await codeFor(email, from);
  const input = page.getByLabel(txt(lang, 'signIn.code'));
  await input.waitFor();
  assert.equal(await input.getAttribute('inputmode'), 'numeric');
  assert.equal(await input.getAttribute('autocomplete'), 'one-time-code');
  await input.fill(code);
  await page.getByRole('button', { name: txt(lang, 'signIn.signIn'), exact: true }).click();
  await page.waitForFunction(() => window.location.pathname === '/' && document.querySelector('[data-list="my-bodies"], h1')
    && document.querySelector('#user-nav .user-name'), null, { timeout: 10000 });
}

async function axeClean(page, label) {
  const v = await runAxe(page);
  assert.equal(v.length, 0, `${label}:\n${formatViolations(v)}`);
}

test('the demo admin signs in with the code from the console, creates a body and imports members from CSV', async (t) => {
  // The demo prints how to sign in; a newcomer reads the admin's address there.
  // (stdout is a pipe of its own: the lines may arrive just after the listening line)
  let adminLine;
  for (let i = 0; i < 100 && !adminLine; i++) {
    adminLine = srv.stdout().find((l) => /organisation admin/.test(l));
    if (!adminLine) await sleep(50);
  }
  assert.ok(adminLine, `stdout names the demo admin:\n${srv.stdout().join('\n')}`);
  const email = adminLine.trim().split(/\s+/)[0];
  assert.equal(email, `admin@${DOMAIN}`);

  const { ctx, page, watch } = await openContext(t, { keep: true });
  admin = { ctx, page, watch, email };
  t.after(() => assertClean(watch));

  // Anonymous: the landing page with a sign-in button.
  assert.equal(await h1Text(page), dict.pl['landing.heading']);
  await page.locator('main').getByRole('link', { name: dict.pl['signIn.button'] }).click();
  await page.waitForFunction(() => window.location.pathname === '/sign-in');
  await waitForH1(page, dict.pl['signIn.heading']);
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1', 'focus moves to the new heading');
  await screenshot(page, 'directory-sign-in-desktop-pl');

  await signInOnPage(page, email);
  const shownName = (await page.locator('#user-nav .user-name').innerText()).replace(dict.pl['nav.signedInAs'], '').trim();
  assert.ok(shownName, 'the header shows the name');
  await waitForH1(page, txt('pl', 'dashboard.heading', { name: shownName }));
  // The header: the person's name, the account link and sign-out.
  const nav = page.locator('#user-nav');
  await nav.getByRole('link', { name: dict.pl['nav.account'] }).waitFor();
  await nav.getByRole('button', { name: dict.pl['nav.signOut'] }).waitFor();
  // Staff see the way to their organisation's administration.
  const adminSection = page.getByRole('region', { name: dict.pl['dashboard.admin'] });
  await adminSection.getByRole('link', { name: 'Gmina Przykładowo' }).click();
  await waitForH1(page, 'Gmina Przykładowo');
  await page.getByRole('region', { name: dict.pl['org.bodies'] }).getByRole('link', { name: 'Rada Gminy Przykładowo' }).waitFor();

  // Create a body.
  const create = page.locator('form', { has: page.getByRole('heading', { name: dict.pl['org.bodyCreate'] }) });
  await create.getByLabel(dict.pl['body.name']).fill(BODY_NAME);
  await create.getByLabel(dict.pl['body.kind']).selectOption('committee');
  await create.getByLabel(dict.pl['body.size']).fill('5');
  await create.getByLabel(dict.pl['body.quorum']).selectOption('majority_statutory');
  await create.getByLabel(dict.pl['body.duration']).fill('2');
  await create.getByRole('button', { name: dict.pl['org.bodyCreateButton'] }).click();
  await waitForH1(page, BODY_NAME);
  bodyPath = new URL(page.url()).pathname;
  assert.match(bodyPath, /^\/bodies\/[^/]+$/);
  await gotoTab(page, 'settings');
  const facts = page.locator('[data-body="facts"]');
  assert.match(await facts.innerText(), new RegExp(dict.pl['kind.committee']));
  assert.match(await facts.innerText(), new RegExp(dict.pl['quorum.majority_statutory']));
  await gotoTab(page, 'import');
  assert.match(await page.locator('main').innerText(), new RegExp(dict.pl['body.noMembers']));

  // The import explains its columns and offers an example file.
  const imp = page.getByRole('region', { name: dict.pl['import.heading'] });
  for (const f of ['name', 'email', 'role', 'groups', 'external']) {
    assert.match(await imp.innerText(), new RegExp(dict.pl[`import.col.${f}`]));
  }
  assert.equal(await imp.getByRole('link', { name: dict.pl['import.example'] }).getAttribute('href'), '/examples/czlonkowie.csv');

  // A file with one bad row: the preview shows the error on line 3, import stays off.
  const importBtn = page.locator('button[data-action="import"]');
  await imp.getByLabel(dict.pl['import.file']).setInputFiles({ name: 'zly.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_CSV) });
  await page.waitForFunction(() => document.querySelector('textarea[name="csv"]').value.includes('Jan Obcy'));
  await imp.getByRole('button', { name: dict.pl['import.check'] }).click();
  const badRow = imp.locator('tr[data-line="3"]');
  await badRow.waitFor();
  assert.equal(await badRow.getAttribute('class'), 'row-bad');
  const badText = await badRow.locator('.row-errors').innerText();
  assert.match(badText, new RegExp(`^${dict.pl['import.col.email']}: `), 'the error names the column');
  assert.match(badText, /domen/i, 'the error says the domain is wrong');
  assert.equal(await imp.locator('tr[data-line="2"]').getAttribute('class'), 'row-ok');
  assert.equal(await imp.locator('tr[data-line="4"]').getAttribute('class'), 'row-ok');
  assert.equal(await imp.locator('tr[data-line="2"] .row-errors').count(), 0);
  const errList = imp.locator('[data-list="import-errors"] li');
  assert.equal(await errList.count(), 1);
  assert.match(await errList.first().innerText(), new RegExp(`^${txt('pl', 'import.errorAt', { line: 3 })}`));
  assert.equal(await page.locator('.import-summary').innerText(), txt('pl', 'import.badSummary', { count: 1 }, 'one'));
  assert.equal(await page.locator('.import-summary').getAttribute('role'), 'alert');
  assert.equal(await importBtn.isDisabled(), true, 'import is disabled while the file has errors');
  await screenshot(page, 'directory-import-errors-desktop-pl');

  // The good file: import enabled with the count, then the members are listed.
  await imp.getByLabel(dict.pl['import.file']).setInputFiles({ name: 'czlonkowie.csv', mimeType: 'text/csv', buffer: Buffer.from(GOOD_CSV) });
  await page.waitForFunction(() => !document.querySelector('textarea[name="csv"]').value.includes('Jan Obcy'));
  assert.equal(await importBtn.isDisabled(), true, 'a new file must be checked first');
  await imp.getByRole('button', { name: dict.pl['import.check'] }).click();
  await page.waitForFunction(() => !document.querySelector('button[data-action="import"]').disabled);
  assert.equal(await importBtn.innerText(), txt('pl', 'import.doImport', { count: 3 }, 'few'));
  assert.equal(await imp.locator('tr.row-ok').count(), 3);
  assert.equal(await page.locator('.import-summary').innerText(), txt('pl', 'import.okSummary', { count: 3 }, 'few'));
  assert.match(await page.locator('main').innerText(), new RegExp(dict.pl['body.noMembers']), 'the dry run imported nothing');
  await importBtn.click();
  await page.waitForFunction((s) => document.querySelector('.import-summary').textContent === s,
    txt('pl', 'import.done', { count: 3 }, 'few'));
  const rows = page.locator('[data-section="members"] tbody tr');
  await page.waitForFunction(() => document.querySelectorAll('[data-section="members"] tbody tr').length === 3);
  const listed = await rows.evaluateAll((trs) => trs.map((r) => r.dataset.email).sort());
  assert.deepEqual(listed, IMPORTED.map((m) => m.email).sort());
  const chairRow = page.locator(`[data-section="members"] tr[data-email="${IMPORTED[0].email}"]`);
  assert.match(await chairRow.innerText(), new RegExp(IMPORTED[0].name));
  assert.match(await chairRow.innerText(), new RegExp(dict.pl['role.chair']));
  assert.match(await page.locator(`[data-section="members"] tr[data-email="${IMPORTED[1].email}"]`).innerText(), /profesorowie/);
  await screenshot(page, 'directory-body-desktop-pl');

  // Adding a member by hand: an address outside the domain is explained at the field.
  await gotoTab(page, 'members');
  const add = page.getByRole('region', { name: dict.pl['member.addHeading'] });
  await add.getByLabel(dict.pl['member.email']).fill(`ktos.${RUN}@gmail.example`);
  await add.getByLabel(dict.pl['member.name'], { exact: true }).fill('Ktoś Spoza');
  watch.pause(); // a 422 answer is logged by the browser as a failed resource
  await add.getByRole('button', { name: dict.pl['member.add'] }).click();
  const fieldErr = add.locator('[data-field="email"] .field-error');
  await page.waitForFunction((el) => el.textContent.length > 0, await fieldErr.elementHandle());
  watch.resume();
  assert.equal(await fieldErr.innerText(), dict.pl['member.error.domain']);
  assert.equal(await fieldErr.getAttribute('role'), 'alert');
  assert.equal(await add.getByLabel(dict.pl['member.email']).getAttribute('aria-invalid'), 'true');
  // ... and as an external member the same address is accepted.
  await add.getByLabel(dict.pl['member.externalLabel']).check();
  await add.getByRole('button', { name: dict.pl['member.add'] }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-section="members"] tbody tr').length === 4);
  const ext = page.locator(`[data-section="members"] tr[data-email="ktos.${RUN}@gmail.example"]`);
  assert.match(await ext.innerText(), new RegExp(dict.pl['member.external']));

  // Change a role and remove a member, with confirmation.
  await ext.getByLabel(txt('pl', 'member.roleOf', { name: 'Ktoś Spoza' })).selectOption('secretary');
  await ext.getByRole('button', { name: txt('pl', 'member.changeRoleOf', { name: 'Ktoś Spoza' }) }).click();
  await page.waitForFunction((e) => document.querySelector(`tr[data-email="${e}"]`)?.textContent.includes('sekretarz'), `ktos.${RUN}@gmail.example`);
  await ext.getByRole('button', { name: txt('pl', 'member.removeOf', { name: 'Ktoś Spoza' }) }).click();
  const yes = ext.getByRole('button', { name: dict.pl['common.confirmRemove'] });
  assert.equal(await yes.evaluate((el) => el === document.activeElement), true, 'focus on the confirmation');
  await yes.click();
  await page.waitForFunction(() => document.querySelectorAll('[data-section="members"] tbody tr').length === 3);
});

test('a wrong code is explained at the field, and too many code requests say how long to wait', async (t) => {
  const { page, watch } = await openContext(t, { path: '/sign-in' });
  const email = `radny03@${DOMAIN}`;
  const from = srv.stdout().length;
  await page.getByLabel(dict.pl['signIn.email']).fill(email);
  await page.getByRole('button', { name: dict.pl['signIn.sendCode'] }).click();
  const code = await codeFor(email, from);
  await page.getByLabel(dict.pl['signIn.code']).waitFor();
  assert.match(await page.locator('[data-step="code"] [role="status"]').innerText(), new RegExp(txt('pl', 'signIn.sent', { email }).slice(0, 20)));
  const wrong = code === '000000' ? '111111' : '000000';
  watch.pause(); // 401 and 429 answers are logged by the browser as failed resources
  await page.getByLabel(dict.pl['signIn.code']).fill(wrong);
  await page.getByRole('button', { name: dict.pl['signIn.signIn'], exact: true }).click();
  const err = page.locator('[data-field="code"] .field-error');
  await page.waitForFunction((el) => el.textContent.length > 0, await err.elementHandle());
  assert.equal(await err.innerText(), dict.pl['signIn.error.codeInvalid']);
  assert.equal(await err.getAttribute('role'), 'alert');
  assert.equal(await page.getByLabel(dict.pl['signIn.code']).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.name), 'code', 'focus on the field at fault');
  await screenshot(page, 'directory-sign-in-wrong-code-desktop-pl');

  // The limit is 3 codes per address at once: the 4th request is refused with a wait time.
  const resend = page.getByRole('button', { name: dict.pl['signIn.resend'] });
  let limited = null;
  for (let i = 0; i < 5 && !limited; i++) {
    await resend.click();
    await page.waitForFunction(() => !document.querySelector('[data-step="code"]').hasAttribute('aria-busy'));
    await sleep(100);
    const text = await page.locator('[data-step="code"] [data-form-error]').innerText();
    if (text) limited = text;
  }
  watch.resume();
  assert.ok(limited, 'a rate-limit message appeared');
  assert.match(limited, /Zbyt wiele prób\. Spróbuj ponownie za \d+ sekund/);
  assertClean(watch);
});

test('an imported member signs in from another browser context and finds the body on the dashboard', async (t) => {
  assert.ok(bodyPath, 'the first test created the body');
  const member = IMPORTED[1];
  const { page, watch } = await openContext(t, { viewport: PHONE, path: '/sign-in' });
  await signInOnPage(page, member.email);
  await waitForH1(page, txt('pl', 'dashboard.heading', { name: member.name }));
  const mine = page.locator('[data-list="my-bodies"]');
  const card = mine.locator('li', { hasText: BODY_NAME });
  await card.waitFor();
  assert.match(await card.innerText(), /Gmina Przykładowo/);
  assert.match(await card.innerText(), new RegExp(dict.pl['role.member']));
  assert.equal(await page.getByRole('region', { name: dict.pl['dashboard.admin'] }).count(), 0, 'a member sees no administration');
  await screenshot(page, 'directory-member-dashboard-phone-pl');
  await axeClean(page, 'member dashboard, phone');

  await card.getByRole('link', { name: BODY_NAME }).click();
  await waitForH1(page, BODY_NAME);
  assert.equal(await page.locator('[data-tab="import"]').count(), 0, 'no import part for a member');
  await gotoTab(page, 'members');
  await page.waitForFunction(() => document.querySelectorAll('[data-section="members"] tbody tr').length === 3);
  assert.equal(await page.getByRole('region', { name: dict.pl['import.heading'] }).count(), 0, 'a member cannot import');
  assert.equal(await page.getByRole('region', { name: dict.pl['member.addHeading'] }).count(), 0, 'nor add members');
  await axeClean(page, 'member body page, phone');
  await screenshot(page, 'directory-member-body-phone-pl');

  // Signing out (from the phone's menu) returns to the landing page.
  await page.click('#menu-toggle');
  await page.locator('#user-nav').getByRole('button', { name: dict.pl['nav.signOut'] }).click();
  await waitForH1(page, dict.pl['landing.heading']);
  if (await page.locator('#menu-toggle').getAttribute('aria-expanded') !== 'true') await page.click('#menu-toggle');
  await page.locator('#user-nav').getByRole('link', { name: dict.pl['nav.signIn'] }).waitFor();
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await h1Text(page), dict.pl['landing.heading'], 'still signed out after a reload');
  assertClean(watch);
});

test('the pages work in English', async () => {
  assert.ok(admin && bodyPath, 'the first test signed in and created the body');
  const { page, watch } = admin;
  await page.goto(`${srv.url}/`);
  await page.waitForSelector('html[data-ready="true"]');
  await page.click('[data-lang="en"]');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.match(await h1Text(page), /^Welcome, /);
  assert.ok(await page.getByRole('heading', { name: dict.en['dashboard.admin'] }).isVisible());
  assert.equal(await page.locator('#user-nav').getByRole('button').innerText(), dict.en['nav.signOut']);
  await page.goto(srv.url + bodyPath);
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', 'the language is remembered');
  await waitForH1(page, BODY_NAME);
  await gotoTab(page, 'settings');
  assert.match(await page.locator('[data-body="facts"]').innerText(), new RegExp(dict.en['kind.committee']));
  await gotoTab(page, 'import');
  assert.ok(await page.getByRole('heading', { name: dict.en['import.heading'] }).isVisible());
  assert.equal(await page.locator('[data-section="members"] thead th').first().innerText(), dict.en['member.name']);
  await page.locator('#user-nav').getByRole('link', { name: dict.en['nav.account'] }).click();
  await waitForH1(page, dict.en['account.heading']);
  assert.ok(await page.getByRole('heading', { name: dict.en['account.sessions'] }).isVisible());
  assert.ok(await page.getByRole('heading', { name: dict.en['totp.heading'] }).isVisible());
  assert.equal(await page.title(), `${dict.en['account.title']} — obrady`);
  await screenshot(page, 'directory-account-desktop-en');
  // A fresh sign-in page in English.
  const ctx2 = await newContext(browser);
  try {
    const p2 = await ctx2.newPage();
    const w2 = await watchPage(p2);
    await p2.goto(`${srv.url}/sign-in`);
    await p2.waitForSelector('html[data-ready="true"]');
    await p2.click('[data-lang="en"]');
    await p2.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal(await h1Text(p2), dict.en['signIn.heading']);
    await p2.getByLabel(dict.en['signIn.email']).waitFor();
    await p2.getByRole('button', { name: dict.en['signIn.sendCode'] }).waitFor();
    assertClean(w2);
  } finally {
    await ctx2.close();
  }
  await page.click('[data-lang="pl"]');
  await page.waitForFunction(() => document.documentElement.lang === 'pl');
  assertClean(watch);
});

test('the account page: name and language, sessions, authenticator set-up', async () => {
  assert.ok(admin, 'the first test signed in');
  const { page, watch } = admin;
  await page.goto(`${srv.url}/account`);
  await page.waitForSelector('html[data-ready="true"]');
  await waitForH1(page, dict.pl['account.heading']);
  const sessions = page.locator('[data-list="sessions"] li');
  assert.ok(await sessions.count() >= 1);
  assert.equal(await page.locator('[data-list="sessions"] li[data-current="true"]').count(), 1);
  const profile = page.getByRole('region', { name: dict.pl['account.profile'] });
  const nameInput = profile.getByLabel(dict.pl['account.name']);
  const oldName = await nameInput.inputValue();
  await nameInput.fill(`${oldName} (test)`);
  await profile.getByRole('button', { name: dict.pl['common.save'] }).click();
  await page.waitForFunction((n) => document.querySelector('#user-nav .user-name')?.textContent.includes(n), `${oldName} (test)`);
  await nameInput.fill(oldName);
  await profile.getByRole('button', { name: dict.pl['common.save'] }).click();
  await page.waitForFunction((n) => document.querySelector('#user-nav .user-name')?.textContent.endsWith(n), oldName);

  const totp = page.getByRole('region', { name: dict.pl['totp.heading'] });
  await totp.getByRole('button', { name: dict.pl['totp.setUp'] }).click();
  const secret = await totp.locator('[data-secret]').innerText();
  assert.match(secret, /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/, 'the secret in groups of four');
  assert.match(await totp.getByRole('link', { name: dict.pl['totp.openApp'] }).getAttribute('href'), /^otpauth:\/\/totp\//);
  await totp.getByLabel(dict.pl['totp.code']).waitFor();
  await screenshot(page, 'directory-account-totp-desktop-pl');
  await totp.getByLabel(dict.pl['totp.code']).fill(totpNow(secret));
  await totp.getByRole('button', { name: dict.pl['totp.enable'] }).click();
  const codes = totp.locator('[data-list="recovery"] li');
  await codes.first().waitFor();
  assert.equal(await codes.count(), 10, 'ten recovery codes');
  const recovery = await codes.allInnerTexts();
  assert.match(recovery[0], /^[0-9a-z]{4}-[0-9a-z]{4}$/);
  const download = totp.getByRole('link', { name: dict.pl['totp.download'] });
  assert.match(await download.getAttribute('href'), /^blob:/);
  assert.match(await download.getAttribute('download'), /\.txt$/);
  await totp.getByRole('button', { name: dict.pl['totp.recoverySaved'] }).click();
  await totp.getByLabel(dict.pl['totp.disableCode']).waitFor();

  // Signing in now takes a third step: the app's code or a recovery code.
  const ctx2 = await newContext(browser, { viewport: PHONE });
  try {
    const p2 = await ctx2.newPage();
    const w2 = await watchPage(p2);
    await p2.goto(`${srv.url}/sign-in`);
    await p2.waitForSelector('html[data-ready="true"]');
    const from = srv.stdout().length;
    await p2.getByLabel(dict.pl['signIn.email']).fill(admin.email);
    await p2.getByRole('button', { name: dict.pl['signIn.sendCode'] }).click();
    const code = await codeFor(admin.email, from);
    await p2.getByLabel(dict.pl['signIn.code']).fill(code);
    await p2.getByRole('button', { name: dict.pl['signIn.signIn'], exact: true }).click();
    await p2.locator('[data-step="totp"]').waitFor();
    await axeClean(p2, 'sign-in step 3, phone');
    await screenshot(p2, 'directory-sign-in-totp-phone-pl');
    await p2.getByRole('button', { name: dict.pl['signIn.useRecovery'] }).click();
    await p2.getByLabel(dict.pl['signIn.recovery']).fill(recovery[1]);
    await p2.getByRole('button', { name: dict.pl['signIn.confirm'] }).click();
    await p2.waitForFunction(() => window.location.pathname === '/' && document.querySelector('#user-nav .user-name'));
    assertClean(w2);
  } finally {
    await ctx2.close();
  }

  // Turned off again with another recovery code.
  await totp.getByLabel(dict.pl['totp.disableCode']).fill(recovery[2]);
  await totp.getByRole('button', { name: dict.pl['totp.disable'] }).click();
  await totp.getByRole('button', { name: dict.pl['totp.setUp'] }).waitFor();
  assertClean(watch);
});

test('axe finds no serious or critical problems on the sign-in, dashboard, body and account pages (phone and desktop)', async (t) => {
  assert.ok(admin && bodyPath, 'the first test signed in and created the body');
  const anon = await openContext(t, { path: '/sign-in' });
  const { page, watch } = admin;
  for (const viewport of [PHONE, DESKTOP]) {
    const kind = viewport === PHONE ? 'phone' : 'desktop';
    await anon.page.setViewportSize(viewport);
    await axeClean(anon.page, `sign-in, ${kind}`);
    await screenshot(anon.page, `directory-sign-in-${kind}`);
    await page.setViewportSize(viewport);
    for (const [p, name, heading] of [
      ['/', 'dashboard', null],
      [bodyPath, 'body', BODY_NAME],
      ['/account', 'account', dict.pl['account.heading']],
      ['/orgs', 'orgs', dict.pl['orgs.heading']],
    ]) {
      await page.goto(srv.url + p);
      await page.waitForSelector('html[data-ready="true"]');
      if (heading) await waitForH1(page, heading);
      await axeClean(page, `${name}, ${kind}`);
      await screenshot(page, `directory-${name}-${kind}`);
    }
    // On a phone the page never scrolls sideways and controls are big enough.
    if (viewport === PHONE) {
      await page.goto(srv.url + bodyPath);
      await page.waitForSelector('html[data-ready="true"]');
      await waitForH1(page, BODY_NAME);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling on the body page (${overflow}px)`);
      const small = await page.evaluate(() => Array.from(document.querySelectorAll('main button, main select, main input:not([type="checkbox"]), #user-nav a, #user-nav button'))
        .filter((el) => el.offsetParent !== null)
        .map((el) => ({ el: `${el.tagName} ${el.name || el.textContent.trim().slice(0, 20)}`, h: el.getBoundingClientRect().height }))
        .filter((r) => r.h < 43.5));
      assert.deepEqual(small, [], 'every control is at least 44 px tall');
    }
  }
  // The error state of the sign-in form, too.
  await anon.page.getByRole('button', { name: dict.pl['signIn.sendCode'] }).click();
  await anon.page.waitForFunction(() => document.querySelector('[data-field="email"] .field-error').textContent.length > 0);
  await axeClean(anon.page, 'sign-in with an error');
  assertClean(anon.watch);
  assertClean(watch);
});

test('the example CSV linked from the import is served and passes the dry run', async () => {
  assert.ok(admin && bodyPath);
  const { page } = admin;
  await page.goto(srv.url + bodyPath);
  await page.waitForSelector('html[data-ready="true"]');
  const r = await page.evaluate(async (bp) => {
    const res = await fetch('/examples/czlonkowie.csv');
    const text = await res.text();
    const api = await import('/js/api.js');
    let report = null;
    if (res.ok) {
      report = await api.request('POST', `/api/bodies/${bp.split('/').pop()}/members/import?dry_run=1`, { body: text, contentType: 'text/csv' });
    }
    return { status: res.status, type: res.headers.get('Content-Type'), text, report };
  }, bodyPath);
  assert.equal(r.status, 200, `GET /examples/czlonkowie.csv answered ${r.status} ${r.type}`);
  assert.match(r.type, /^text\/csv/);
  assert.match(r.text, /^imię i nazwisko;e-mail;rola;grupy;zewnętrzny\n/);
  assert.equal(r.report.ok, true, JSON.stringify(r.report.errors));
});
