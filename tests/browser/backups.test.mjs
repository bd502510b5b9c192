// The instance admin's backup page in a real Chromium: status in plain
// words, "back up now" with progress to "made and verified", the new backup
// in the list; nothing for anyone else; axe-clean at phone and desktop
// sizes, no console errors or CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, stopAll, signIn, runCli, freeTmpDir, DEMO, SESSION_COOKIE } from '../e2e/lib.mjs';
import { PHONE, DESKTOP, txt, launchBrowser, newContext, watchPage, runAxe, formatViolations, screenshot } from './browser.mjs';

let browser;
let srv;
let dir;

before(async () => {
  browser = await launchBrowser();
  dir = freeTmpDir('obrady-bkweb-');
  const key = path.join(dir, 'backup.key');
  const r = await runCli(['backup', 'keygen', key]);
  assert.equal(r.code, 0, r.stderr);
  srv = await startServer({ args: ['--demo'], config: { backup_key_file: key, backup_dir: path.join(dir, 'backups') } });
});

after(async () => {
  await browser?.close();
  await stopAll();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function pageFor(email, viewport) {
  const client = await signIn(srv, email, { via: 'stdout' });
  const ctx = await newContext(browser, { viewport });
  await ctx.addCookies([{ name: SESSION_COOKIE, value: client.cookie, url: srv.url }]);
  await ctx.addInitScript(() => window.localStorage.setItem('obrady.signedIn', '1'));
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  return { ctx, page, watch };
}

async function open(page, p) {
  await page.goto(srv.url + p);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 10000 });
}

test('the instance admin backs up now and sees the progress, the outcome and the new backup', async () => {
  const { ctx, page, watch } = await pageFor(DEMO.admin, DESKTOP);
  await open(page, '/orgs');
  await page.getByRole('link', { name: txt('pl', 'orgs.backupsLink') }).click();
  await page.getByRole('heading', { level: 1, name: txt('pl', 'backups.heading') }).waitFor();
  assert.equal(await page.locator('[data-fact="state"]').textContent(), txt('pl', 'backups.on'));
  assert.equal(await page.locator('[data-fact="last-success"]').textContent(), txt('pl', 'backups.never'));
  assert.match(await page.locator('[data-fact="schedule"]').textContent(), /02:30/);
  assert.equal(await page.getByText(txt('pl', 'backups.none')).count(), 1);
  assert.equal(formatViolations(await runAxe(page)), '');

  await page.getByRole('button', { name: txt('pl', 'backups.now') }).click();
  await page.locator('[data-progress][data-outcome="done"]').waitFor({ timeout: 60000 });
  assert.equal(await page.locator('[data-progress]').textContent(), txt('pl', 'backups.done'));
  const rows = page.locator('[data-list="backups"] tr');
  assert.equal(await rows.count(), 1);
  const file = fs.readdirSync(path.join(dir, 'backups')).filter((n) => n.endsWith('.obk'));
  assert.equal(await rows.first().locator('td').first().textContent(), file[0]);
  assert.notEqual(await page.locator('[data-fact="last-success"]').textContent(), txt('pl', 'backups.never'));
  assert.equal(formatViolations(await runAxe(page)), '');
  await screenshot(page, 'backups-desktop');

  await page.setViewportSize(PHONE);
  await open(page, '/admin/backups');
  assert.equal(formatViolations(await runAxe(page)), '');
  const box = await page.getByRole('button', { name: txt('pl', 'backups.now') }).boundingBox();
  assert.ok(box.height >= 44, `the button is at least 44 px high (${box.height})`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `nothing wider than the phone (${overflow} px)`);
  await screenshot(page, 'backups-phone');
  assert.deepEqual(watch.errors, []);
  assert.deepEqual(watch.csp, []);
  await ctx.close();
});

test('an operator sees no backups and cannot start one', async () => {
  const { ctx, page, watch } = await pageFor(DEMO.operator, PHONE);
  await open(page, '/admin/backups');
  await page.getByText(txt('pl', 'backups.adminsOnly')).waitFor();
  assert.equal(await page.getByRole('button', { name: txt('pl', 'backups.now') }).count(), 0);
  assert.deepEqual(watch.errors, []);
  await ctx.close();
});
