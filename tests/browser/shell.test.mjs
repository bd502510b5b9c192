// The front-end shell in a real Chromium against the real server: language,
// display preferences, keyboard, the live connection indicator, the router,
// client error reports, accessibility (axe-core) and screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, stopAll } from '../e2e/lib.mjs';
import {
  REPO, PHONE, DESKTOP, dict, launchBrowser, newContext, watchPage, runAxe, formatViolations, screenshot,
} from './browser.mjs';

const WEB = path.join(REPO, 'web');
const HEADING = { pl: dict.pl['landing.heading'], en: dict.en['landing.heading'] };

let browser;
let srv;

before(async () => {
  browser = await launchBrowser();
  srv = await startServer();
});

after(async () => {
  await browser?.close();
  await stopAll();
});

/** A fresh context and page with a watcher of errors; closed when the test ends. */
async function openPage(t, { viewport = DESKTOP, path: p = '/', server = srv, contextOptions = {} } = {}) {
  const ctx = await newContext(browser, { viewport, ...contextOptions });
  t.after(() => ctx.close());
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  await page.goto(server.url + p);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 10000 });
  return { ctx, page, watch };
}

function assertClean(watch) {
  assert.deepEqual(watch.csp, [], 'no Content-Security-Policy violations');
  assert.deepEqual(watch.errors, [], 'no console errors or uncaught exceptions');
}

const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);
const h1Text = (page) => page.locator('h1').first().innerText();
/** Views render asynchronously after a navigation: wait for the heading. */
const waitForHeading = (page, text) => page.waitForFunction((t) => document.querySelector('h1')?.textContent === t, text);
const rootFontPx = (page) => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
const pressed = (page, sel) => page.getAttribute(sel, 'aria-pressed');

/** Every element marked data-i18n (without params) shows exactly its dictionary text. */
async function assertTranslated(page, lang, { atLeast = 25 } = {}) {
  const marked = await page.evaluate(() => Array.from(document.querySelectorAll('[data-i18n]'))
    .filter((el) => !el.hasAttribute('data-i18n-params'))
    .map((el) => [el.getAttribute('data-i18n'), el.textContent]));
  assert.ok(marked.length >= atLeast, `at least ${atLeast} translated elements (${marked.length})`);
  for (const [key, text] of marked) assert.equal(text, dict[lang][key], `[data-i18n="${key}"] in ${lang}`);
}

test('pl.json and en.json have identical keys, plural forms and placeholders', () => {
  const pk = Object.keys(dict.pl).sort();
  const ek = Object.keys(dict.en).sort();
  assert.deepEqual(pk.filter((k) => !(k in dict.en)), [], 'keys only in pl.json');
  assert.deepEqual(ek.filter((k) => !(k in dict.pl)), [], 'keys only in en.json');
  const placeholders = (v) => [...new Set(JSON.stringify(v).match(/\{\w+\}/g) || [])].sort();
  for (const k of pk) {
    const p = dict.pl[k];
    const e = dict.en[k];
    assert.equal(typeof p, typeof e, `${k}: same kind of value`);
    if (typeof p === 'object') {
      assert.deepEqual(Object.keys(p).sort(), ['few', 'many', 'one', 'other'], `${k}: Polish plural forms`);
      assert.deepEqual(Object.keys(e).sort(), ['one', 'other'], `${k}: English plural forms`);
    } else {
      assert.equal(typeof p, 'string', `${k}: a string`);
      assert.ok(p.trim() && e.trim(), `${k}: not empty`);
    }
    assert.deepEqual(placeholders(p), placeholders(e), `${k}: same {placeholders}`);
  }
});

test('every i18n key named in web/ exists in the dictionaries', () => {
  const files = [path.join(WEB, 'index.html')];
  const walk = (d) => {
    for (const f of fs.readdirSync(d, { withFileTypes: true })) {
      if (f.isDirectory()) walk(path.join(d, f.name));
      else if (f.name.endsWith('.js')) files.push(path.join(d, f.name));
    }
  };
  walk(path.join(WEB, 'js'));
  const res = [
    /data-i18n="([^"]+)"/g, // markup
    /i18n: '([^'$]+)'/g, // h('p', {i18n: 'key'})
    /\bt\('([^']+)'/g, // t('key')
    /setI18n\([^,]+, '([^']+)'/g,
    /key: '([^']+)'/g, // tables of keys
    /titleKey = '([^']+)'/g,
  ];
  const attrRe = /data-i18n-attr="([^"]+)"|i18nAttr: '([^']+)'/g;
  const used = new Set();
  for (const f of files) {
    const src = fs.readFileSync(f, 'utf8');
    for (const re of res) for (const m of src.matchAll(re)) used.add(m[1]);
    for (const m of src.matchAll(attrRe)) {
      for (const pair of (m[1] || m[2]).split(';')) used.add(pair.split(':')[1].trim());
    }
  }
  assert.ok(used.size > 20, `found the keys in use (${used.size})`);
  assert.deepEqual([...used].filter((k) => !(k in dict.pl)).sort(), [], 'keys used but missing');
});

test('without JavaScript the page shows the Polish texts of pl.json and the noscript notice', async (t) => {
  const ctx = await newContext(browser, { javaScriptEnabled: false });
  t.after(() => ctx.close());
  const page = await ctx.newPage();
  await page.goto(`${srv.url}/`);
  await assertTranslated(page, 'pl', { atLeast: 15 });
  assert.match(await page.locator('main').innerText(), /potrzebują JavaScriptu[\s\S]*needs JavaScript/);
});

test('the page watcher does notice an inline script refused by the CSP (self-check)', async (t) => {
  const { page, watch } = await openPage(t);
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true;';
    document.body.append(s);
  });
  await page.waitForFunction(() => true);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(await page.evaluate(() => window.__inlineRan), undefined, 'the inline script did not run');
  assert.ok(watch.csp.length > 0, 'the violation was seen');
});

test('the landing page is Polish by default and the indicator reaches "connected"', async (t) => {
  const { page, watch } = await openPage(t);
  assert.equal(await htmlLang(page), 'pl');
  assert.equal(await h1Text(page), HEADING.pl);
  assert.equal(await page.title(), dict.pl['app.title']);
  assert.equal(await pressed(page, '[data-lang="pl"]'), 'true');
  assert.equal(await pressed(page, '[data-lang="en"]'), 'false');
  await assertTranslated(page, 'pl');

  const status = page.locator('#live-status');
  assert.equal(await status.getAttribute('role'), 'status');
  await page.waitForSelector('#live-status[data-state="connected"]', { timeout: 10000 });
  assert.equal(await page.locator('#live-status-text').innerText(), dict.pl['live.connected']);
  // The state is told by a shape too, not by colour alone.
  const shape = await page.evaluate(() => getComputedStyle(document.querySelector('.live-icon')).borderRadius);
  assert.equal(shape, '50%', 'connected is a filled circle');
  assertClean(watch);
});

test('switching to English changes <html lang> and every string, and survives a reload', async (t) => {
  const { page, watch } = await openPage(t);
  await page.waitForSelector('#live-status[data-state="connected"]', { timeout: 10000 });
  await page.click('[data-lang="en"]');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await h1Text(page), HEADING.en);
  assert.equal(await page.title(), dict.en['app.title']);
  assert.equal(await pressed(page, '[data-lang="en"]'), 'true');
  assert.equal(await pressed(page, '[data-lang="pl"]'), 'false');
  assert.equal(await page.locator('#live-status-text').innerText(), dict.en['live.connected']);
  await assertTranslated(page, 'en');
  assert.equal(await page.getAttribute('a.brand', 'aria-label'), dict.en['header.home'], 'attributes too');

  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await htmlLang(page), 'en', 'remembered after reload');
  assert.equal(await h1Text(page), HEADING.en);

  await page.click('[data-lang="pl"]');
  await page.waitForFunction(() => document.documentElement.lang === 'pl');
  assert.equal(await h1Text(page), HEADING.pl);
  await assertTranslated(page, 'pl');
  assertClean(watch);
});

test('t() interpolates and picks Polish and English plural forms', async (t) => {
  const { page, watch } = await openPage(t);
  const forms = (lang) => page.evaluate(async (l) => {
    const i18n = await import('/js/i18n.js');
    await i18n.setLang(l, { remember: false });
    return [1, 2, 5, 22, 25, 1.5].map((count) => i18n.t('votes.count', { count }))
      .concat(i18n.t('notFound.body', { path: '/x' }));
  }, lang);
  assert.deepEqual(await forms('pl'), ['1 głos', '2 głosy', '5 głosów', '22 głosy', '25 głosów', '1,5 głosu',
    'Adres /x nie prowadzi do żadnej strony w obradach.']);
  assert.deepEqual(await forms('en'), ['1 vote', '2 votes', '5 votes', '22 votes', '25 votes', '1.5 votes',
    'The address /x does not lead to any page of obrady.']);
  assertClean(watch);
});

test('high contrast sets a class on <html>, aria-pressed, and is remembered', async (t) => {
  const { page, watch } = await openPage(t);
  const toggle = '#contrast-toggle';
  const hasClass = () => page.evaluate(() => document.documentElement.classList.contains('contrast-high'));
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(await pressed(page, toggle), 'false');
  assert.equal(await hasClass(), false);
  const normalBg = await bg();
  await page.click(toggle);
  assert.equal(await pressed(page, toggle), 'true');
  assert.equal(await hasClass(), true);
  assert.equal(await bg(), 'rgb(0, 0, 0)', 'black page in high contrast');
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await hasClass(), true, 'remembered after reload');
  assert.equal(await pressed(page, toggle), 'true');
  await page.click(toggle);
  assert.equal(await hasClass(), false);
  assert.equal(await pressed(page, toggle), 'false');
  assert.equal(await bg(), normalBg);
  assertClean(watch);
});

test('the three text sizes scale the root font and are remembered', async (t) => {
  const { page, watch } = await openPage(t);
  const sizes = {};
  for (const size of ['normal', 'large', 'larger']) {
    await page.click(`[data-font="${size}"]`);
    sizes[size] = await rootFontPx(page);
    for (const other of ['normal', 'large', 'larger']) {
      assert.equal(await pressed(page, `[data-font="${other}"]`), String(other === size), `${other} after ${size}`);
    }
  }
  assert.equal(sizes.normal, 16);
  assert.ok(sizes.large > sizes.normal && sizes.larger > sizes.large, JSON.stringify(sizes));
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await rootFontPx(page), sizes.larger, 'remembered after reload');
  assert.equal(await pressed(page, '[data-font="larger"]'), 'true');
  // The largest text still fits a phone without sideways scrolling.
  await page.setViewportSize(PHONE);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at the largest size on a phone (${overflow}px)`);
  assertClean(watch);
});

test('keyboard: the first Tab reaches the skip link, which moves focus to main; controls work by keyboard', async (t) => {
  const { page, watch } = await openPage(t);
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => ({
    cls: document.activeElement.className,
    text: document.activeElement.textContent,
    top: document.activeElement.getBoundingClientRect().top,
  }));
  assert.equal(first.cls, 'skip-link');
  assert.equal(first.text, dict.pl['skip.toMain']);
  assert.ok(first.top >= 0, 'the focused skip link is on screen');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'main');

  // From the top, Tab walks the header in reading order.
  await page.evaluate(() => document.activeElement.blur());
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  const order = [];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => {
      const el = document.activeElement;
      return el.dataset.lang || el.dataset.font || el.id || el.className;
    }));
  }
  assert.deepEqual(order, ['skip-link', 'brand', 'pl', 'en', 'normal', 'large', 'larger', 'contrast-toggle']);
  await page.keyboard.press('Space');
  assert.equal(await pressed(page, '#contrast-toggle'), 'true', 'Space toggles contrast');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  assert.equal(await pressed(page, '[data-font="larger"]'), 'true', 'Enter picks a text size');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.equal(outline, 'solid', 'keyboard focus is visible');
  assertClean(watch);
});

/** On a phone the header's controls are behind the menu button (issue 20.7): opens it. */
async function openMenu(page) {
  const btn = page.locator('#menu-toggle');
  if (await btn.isVisible() && await btn.getAttribute('aria-expanded') !== 'true') await btn.click();
}

test('axe-core finds no serious or critical problems (pl, en, high contrast; phone and desktop) and screenshots are saved', async (t) => {
  for (const viewport of [PHONE, DESKTOP]) {
    const { page, watch } = await openPage(t, { viewport });
    await page.waitForSelector('#live-status[data-state="connected"]', { timeout: 10000 });
    const kind = viewport === PHONE ? 'phone' : 'desktop';
    const check = async (label) => {
      const v = await runAxe(page);
      assert.equal(v.length, 0, `${kind} ${label}:\n${formatViolations(v)}`);
    };
    await check('pl');
    await screenshot(page, `shell-${kind}-pl`);
    await openMenu(page);
    await check('pl, menu open');
    await page.click('[data-lang="en"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await check('en');
    await screenshot(page, `shell-${kind}-en`);
    await page.click('#contrast-toggle');
    await check('en, high contrast');
    await page.click('[data-lang="pl"]');
    await page.waitForFunction(() => document.documentElement.lang === 'pl');
    await check('pl, high contrast');
    await screenshot(page, `shell-${kind}-pl-contrast`);
    await page.click('[data-font="larger"]');
    await check('pl, high contrast, largest text');
    await screenshot(page, `shell-${kind}-pl-contrast-larger`);
    assertClean(watch);
  }
  for (const name of ['shell-phone-pl', 'shell-desktop-pl']) {
    assert.ok(fs.statSync(path.join(REPO, 'test-artifacts', `${name}.png`)).size > 1000, `${name}.png saved`);
  }
});

test('on a phone every control is at least 44 px', async (t) => {
  const { page, watch } = await openPage(t, { viewport: PHONE });
  assert.equal(await page.locator('[data-lang="en"]').isVisible(), false, 'the settings wait behind the menu');
  await openMenu(page);
  await page.locator('[data-lang="en"]').waitFor();
  const small = await page.evaluate(() => Array.from(document.querySelectorAll('header button, header a'))
    .map((el) => {
      const r = el.getBoundingClientRect();
      return { name: el.dataset.lang || el.dataset.font || el.id || el.className, w: r.width, h: r.height };
    })
    .filter((r) => r.w < 44 || r.h < 44));
  assert.deepEqual(small, []);
  assertClean(watch);
});

test('an unknown path shows the not-found view; its link goes home without a reload and focuses the heading', async (t) => {
  const { page, watch } = await openPage(t, { path: '/nie-ma-takiej-strony' });
  assert.equal(await h1Text(page), dict.pl['notFound.heading']);
  assert.equal(await page.title(), `${dict.pl['notFound.title']} — obrady`);
  assert.match(await page.locator('main').innerText(), /\/nie-ma-takiej-strony/);
  await page.evaluate(() => {
    window.__sameDocument = true;
  });
  await page.click(`text=${dict.pl['notFound.home']}`);
  await page.waitForFunction(() => window.location.pathname === '/');
  await waitForHeading(page, HEADING.pl);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1', 'focus on the new heading');
  await page.goBack();
  await page.waitForFunction(() => window.location.pathname === '/nie-ma-takiej-strony');
  await waitForHeading(page, dict.pl['notFound.heading']);
  assertClean(watch);
});

test('api.js sends the UI language and turns error answers into ApiError with code', async (t) => {
  const { page } = await openPage(t);
  const call = (lang) => page.evaluate(async (l) => {
    const i18n = await import('/js/i18n.js');
    const api = await import('/js/api.js');
    await i18n.setLang(l, { remember: false });
    try {
      await api.get('/api/no-such-thing');
      return null;
    } catch (e) {
      return { name: e.name, status: e.status, code: e.code, message: e.message, field: e.field };
    }
  }, lang);
  const pl = await call('pl');
  const en = await call('en');
  assert.deepEqual({ ...pl, message: undefined }, { name: 'ApiError', status: 404, code: 'not_found', message: undefined, field: null });
  assert.equal(en.code, 'not_found');
  assert.ok(pl.message && en.message, 'messages present');
  assert.notEqual(pl.message, en.message, 'the server answers in the language the UI asked for');
});

test('an uncaught error in the page is reported to POST /api/client-errors (204), page path included', async (t) => {
  const { page, watch } = await openPage(t);
  const reqP = page.waitForRequest((r) => r.url().endsWith('/api/client-errors') && r.method() === 'POST');
  const resP = page.waitForResponse((r) => r.url().endsWith('/api/client-errors'));
  await page.evaluate(() => {
    setTimeout(() => {
      throw new Error('shell-test-boom ąę');
    });
  });
  const req = await reqP;
  const res = await resP;
  assert.equal(res.status(), 204);
  assert.match(req.headers()['content-type'], /^application\/json/);
  const body = JSON.parse(req.postData());
  assert.match(body.message, /shell-test-boom ąę/);
  assert.equal(body.page, '/');
  assert.ok(body.message.length <= 1000);
  assert.ok(Number.isInteger(body.line) && body.line >= 0);
  assert.deepEqual(watch.csp, []);
  assert.equal(watch.errors.length, 1, 'only the thrown error itself');
  await srv.waitForLog(/shell-test-boom/, 5000);
});

test('stopping the server turns the indicator to offline or connecting', async (t) => {
  const own = await startServer();
  t.after(() => own.stop());
  const { page, watch } = await openPage(t, { server: own });
  await page.waitForSelector('#live-status[data-state="connected"]', { timeout: 10000 });
  assertClean(watch);
  watch.pause(); // a refused reconnect is logged by the browser as a console error
  await own.stop();
  await page.waitForSelector('#live-status[data-state="offline"], #live-status[data-state="connecting"]', { timeout: 10000 });
  const state = await page.getAttribute('#live-status', 'data-state');
  const text = await page.locator('#live-status-text').innerText();
  assert.equal(text, dict.pl[state === 'offline' ? 'live.offline' : 'live.connecting']);
  // A failed reconnect settles on "offline".
  await page.waitForSelector('#live-status[data-state="offline"]', { timeout: 15000 });
  assert.equal(await page.locator('#live-status-text').innerText(), dict.pl['live.offline']);
  assert.deepEqual(watch.csp, []);
});

test('the indicator follows the browser going offline and back online', async (t) => {
  const { ctx, page, watch } = await openPage(t);
  await page.waitForSelector('#live-status[data-state="connected"]', { timeout: 10000 });
  watch.pause(); // the dropped stream may be logged as a network error
  await ctx.setOffline(true);
  await page.waitForSelector('#live-status[data-state="offline"]', { timeout: 5000 });
  await ctx.setOffline(false);
  await page.waitForSelector('#live-status[data-state="connected"]', { timeout: 10000 });
  assert.equal(await page.locator('#live-status-text').innerText(), dict.pl['live.connected']);
  assert.deepEqual(watch.csp, []);
});
