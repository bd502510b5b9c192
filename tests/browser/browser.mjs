// browser.mjs — helpers for the browser tests: Debian's Chromium driven by
// playwright-core (never a downloaded browser), axe-core checks and
// screenshots into test-artifacts/.
//
//   const browser = await launchBrowser();
//   const ctx = await newContext(browser);
//   const page = await ctx.newPage();
//   const problems = watchPage(page);          // console errors, page errors, CSP
//   assert.deepEqual(await runAxe(page), []);

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startDemo, stopAll, SESSION_COOKIE } from '../e2e/lib.mjs';

const require = createRequire(import.meta.url);

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = path.join(REPO, 'test-artifacts');
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

/** Phone (iPhone 12-ish) and desktop viewports. */
/** The UI dictionaries, so tests find elements by the texts users see. */
export const dict = {
  pl: JSON.parse(fs.readFileSync(path.join(REPO, 'web', 'i18n', 'pl.json'), 'utf8')),
  en: JSON.parse(fs.readFileSync(path.join(REPO, 'web', 'i18n', 'en.json'), 'utf8')),
};
/** A dictionary text with {placeholders} filled (plural: pl "many" / en "other" unless form is given). */
export function txt(lang, key, params = {}, form = null) {
  let v = dict[lang][key];
  if (v === undefined) throw new Error(`dictionary ${lang} has no ${key}`);
  if (typeof v === 'object') v = v[form || (lang === 'pl' ? 'many' : 'other')];
  return v.replace(/\{(\w+)\}/g, (m, n) => (n in params ? String(params[n]) : m));
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

/** Starts headless Chromium from the system (no network, no background services). */
export function launchBrowser(options = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    ...options,
  });
}

/**
 * A fresh browser context (own storage, own cookies). Polish locale and a
 * desktop viewport unless options say otherwise; the page's CSP stays in force.
 */
export function newContext(browser, options = {}) {
  return browser.newContext({
    locale: 'pl-PL',
    viewport: DESKTOP,
    reducedMotion: 'reduce',
    ...options,
  });
}

/**
 * Collects what must never happen on a page: console errors, uncaught
 * exceptions, CSP violations and missing translations (i18n warnings). Returns {errors: [...], csp: [...], pause(), resume()}.
 * A CSP violation shows both as a console error and as a
 * securitypolicyviolation event (the latter reported via a binding).
 */
export async function watchPage(page) {
  const w = { errors: [], csp: [], paused: false };
  w.pause = () => {
    w.paused = true;
  };
  w.resume = () => {
    w.paused = false;
  };
  page.on('console', (msg) => {
    if (w.paused) return;
    if (msg.type() === 'warning' && msg.text().startsWith('i18n:')) w.errors.push(`console.warn: ${msg.text()}`);
    if (msg.type() !== 'error') return;
    const loc = msg.location();
    w.errors.push(`console.error: ${msg.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    if (/Content Security Policy/i.test(msg.text())) w.csp.push(msg.text());
  });
  page.on('pageerror', (err) => {
    if (!w.paused) w.errors.push(`pageerror: ${err.message}`);
  });
  await page.exposeBinding('__reportCspViolation', (_src, v) => {
    w.csp.push(`${v.directive} blocked ${v.blocked} in ${v.source}:${v.line}`);
  });
  // Runs in every document before its own scripts; init scripts are not subject to the page's CSP.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__reportCspViolation({
        directive: e.violatedDirective,
        blocked: e.blockedURI,
        source: e.sourceFile,
        line: e.lineNumber,
      });
    });
  });
  return w;
}

let axeSource = null;

/**
 * Runs axe-core on the page and returns the violations of impact serious or
 * critical, each as {id, impact, help, targets}. axe is injected by
 * evaluating its source through the DevTools protocol: a <script> tag (what
 * page.addScriptTag does, with content or path) is inline and the page's CSP
 * refuses it, while evaluate() is not subject to the page's CSP.
 */
export async function runAxe(page, { include = null, tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } = {}) {
  if (axeSource === null) axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const hasAxe = await page.evaluate(() => typeof window.axe === 'object');
  if (!hasAxe) await page.evaluate(`${axeSource}\n;undefined`);
  const result = await page.evaluate(
    async ({ include: inc, tags: tg }) => {
      const r = await window.axe.run(inc || document, { runOnly: { type: 'tag', values: tg }, resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`.slice(0, 400)),
      }));
    },
    { include, tags },
  );
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Formats axe violations for an assertion message. */
export function formatViolations(violations) {
  return violations.map((v) => `[${v.impact}] ${v.id}: ${v.help}\n    ${v.targets.join('\n    ')}`).join('\n');
}

/** Saves a full-page PNG as test-artifacts/<name>.png and returns its path. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name.replace(/[^a-zA-Z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage, animations: 'disabled' });
  return file;
}

/** Goes to url and waits until the app says it is ready (html[data-ready]). */
export async function openReady(page, url) {
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 10000 });
}

/** Fails (naming label) when axe finds a serious or critical problem on the page. */
export async function assertAxeClean(page, label) {
  const v = await runAxe(page);
  if (v.length) throw new Error(`${label}: axe found ${v.length} serious or critical problems:\n${formatViolations(v)}`);
}

/**
 * A page of its own for a signed-in client (an e2e lib.mjs client with a
 * session cookie), in lang and viewport, watched for console errors and CSP
 * violations, opened at url and ready. Returns {page, watch}.
 */
export async function signedInPage(browser, { srvUrl, cookieName, client, url, lang, viewport }) {
  const ctx = await newContext(browser, { viewport });
  await ctx.addCookies([{ name: cookieName, value: client.cookie, url: srvUrl }]);
  await ctx.addInitScript((l) => {
    try {
      window.localStorage.setItem('obrady.signedIn', '1');
      window.localStorage.setItem('obrady.lang', l);
    } catch {
      /* no storage */
    }
  }, lang);
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  await page.goto(srvUrl + url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 15000 });
  return { page, watch };
}

/**
 * The signed-in pages one test opens, each watched: open() as signedInPage
 * (srv and cookieName given once); axeClean() fails naming label on any
 * serious problem; assertQuiet(expected) fails when a page logged a console
 * error other than those matching expected (a RegExp for the refusals the
 * test asked for) or a CSP violation.
 */
export function pageSet(getContext) {
  const watched = [];
  return {
    async open(client, url, lang, viewport) {
      const { browser, srvUrl, cookieName } = getContext();
      const { page, watch } = await signedInPage(browser, { srvUrl, cookieName, client, url, lang, viewport });
      watched.push({ watch, lang });
      return page;
    },
    async axeClean(page, label) {
      const v = await runAxe(page);
      if (v.length) throw new Error(`${label}:\n${formatViolations(v)}`);
    },
    assertQuiet(expected = null) {
      for (const { watch, lang } of watched) {
        const errors = watch.errors.filter((e) => !(expected && expected.test(e)));
        if (errors.length) throw new Error(`console errors (${lang}):\n${errors.join('\n')}`);
        if (watch.csp.length) throw new Error(`CSP violations (${lang}):\n${watch.csp.join('\n')}`);
      }
    },
  };
}

/**
 * One browser and one demo server for a whole test file: started in before(),
 * stopped in after() (node:test's hooks passed in). suite.srv is the server
 * once started; suite.pageFor and suite.axeClean are its pageSet's open and
 * axeClean, suite.pages the pageSet itself (assertQuiet).
 */
export function demoSuite({ before, after }, demoOptions = {}) {
  const suite = { browser: null, srv: null };
  suite.pages = pageSet(() => ({ browser: suite.browser, srvUrl: suite.srv.url, cookieName: SESSION_COOKIE }));
  suite.pageFor = (client, url, lang, viewport) => suite.pages.open(client, url, lang, viewport);
  suite.axeClean = (page, label) => suite.pages.axeClean(page, label);
  before(async () => {
    suite.browser = await launchBrowser();
    suite.srv = await startDemo(demoOptions);
  });
  after(async () => {
    await suite.browser?.close();
    await stopAll();
  });
  return suite;
}
