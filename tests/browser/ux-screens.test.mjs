// Defects seen in the screenshots (docs/screens), in real Chromium: a body
// without a quorum rule says "no quorum required" with the present count
// (not "quorum present … required: 0"); the members table of a body with
// weights is one line per member on a desktop (the weight hint once above
// the table, role and weight edited in place, long e-mails cut with an
// ellipsis yet whole in the link and on keyboard focus) and still works on a
// 390×844 phone and by keyboard; the proxy holder is told when the grantor
// voted in person and left. Polish and English, axe-clean.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  signIn, signInMany, demoIds, createMeeting, DEMO, eventually, ok,
} from '../e2e/lib.mjs';
import { PHONE, DESKTOP, txt, demoSuite } from './browser.mjs';

const suite = demoSuite({ before, after });
const open = (client, url, lang, viewport) => suite.pageFor(client, url, lang, viewport);
const axeClean = (page, label) => suite.axeClean(page, label);
const WIDE = { width: 1920, height: 1080 };
const LONG_EMAIL = `konstancja.dlugosz-wierzbicka.sekretariat@${DEMO.domain}`;

/** A meeting of the demo body, started, with members present after a short check. */
async function meetingWith(op, bodyId, present, title) {
  const m = await createMeeting(op, bodyId, { title });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await Promise.all(present.map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), 'present')));
  await eventually(async () => (await op.get(`${P}/state`)).json.attendance.is_check_open === false, 5000);
  return m;
}

test('members table: one line per member on a desktop, the weight hint once, e-mails whole on focus; a phone and the keyboard still work', { timeout: 120000 }, async () => {
  const admin = await signIn(suite.srv, DEMO.admin, { via: 'stdout' });
  const op = await signIn(suite.srv, DEMO.operator);
  const { bodyId } = await demoIds(admin);
  await ok(admin.patch(`/api/bodies/${bodyId}`, { uses_weights: true }), 'weights on');
  await ok(op.post(`/api/bodies/${bodyId}/members`, { email: LONG_EMAIL, name: 'Konstancja Długosz-Wierzbicka', role: 'member', groups: [], is_external: false }), 'a member with a long address');
  const { members } = await ok(op.get(`/api/bodies/${bodyId}/members`), 'members');

  const page = await open(op, `/bodies/${bodyId}?tab=members`, 'pl', WIDE);
  const table = page.locator('[data-section="members"] table');
  await table.locator(`tr[data-email="${LONG_EMAIL}"]`).waitFor();
  // The hint once, above the table, describing every weight field.
  const hints = page.locator('[data-section="members"] .field-hint');
  assert.equal(await hints.count(), 1, 'one hint for all weights');
  assert.equal(await hints.innerText(), txt('pl', 'member.weightHint'));
  const hintId = await hints.getAttribute('id');
  const described = await table.locator('input[name="weight"]').evaluateAll((els, id) => els.map((e) => (e.getAttribute('aria-describedby') || '').split(' ').includes(id)), hintId);
  assert.equal(described.length, members.length);
  assert.ok(described.every(Boolean), 'each weight field is described by the hint');
  assert.ok(await page.evaluate(() => {
    const hint = document.querySelector('[data-section="members"] .field-hint');
    const tbl = document.querySelector('[data-section="members"] table');
    return hint.getBoundingClientRect().bottom <= tbl.getBoundingClientRect().top;
  }), 'the hint is above the table');
  // One line per member: every row no taller than its 44 px controls and padding.
  const heights = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().height));
  assert.equal(heights.length, members.length);
  assert.ok(Math.max(...heights) <= 72, `rows ${Math.round(Math.min(...heights))}..${Math.round(Math.max(...heights))} px tall`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
  // E-mails on one line: the long one cut with an ellipsis, the link holding the whole address.
  const mails = await table.locator('a.email').evaluateAll((as) => as.map((a) => {
    const cs = getComputedStyle(a);
    return { text: a.textContent, title: a.title, href: a.getAttribute('href'), height: a.getBoundingClientRect().height, line: parseFloat(cs.lineHeight), cut: a.scrollWidth > a.clientWidth, overflow: cs.textOverflow };
  }));
  assert.equal(mails.length, members.length);
  for (const x of mails) {
    assert.ok(x.height < 1.5 * x.line, `${x.text}: one line (${x.height} px, line ${x.line} px)`);
    assert.equal(x.title, x.text);
    assert.equal(x.href, `mailto:${x.text}`);
  }
  const long = mails.find((x) => x.text === LONG_EMAIL);
  assert.ok(long && long.cut && long.overflow === 'ellipsis', `the long address is cut with an ellipsis: ${JSON.stringify(long)}`);
  // By keyboard: the address shows whole while its link has the focus.
  const link = table.locator(`a.email[title="${LONG_EMAIL}"]`);
  await link.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  assert.equal(await link.evaluate((a) => document.activeElement === a), true);
  assert.equal(await link.evaluate((a) => a.scrollWidth <= a.clientWidth), true, 'whole on keyboard focus');
  await axeClean(page, 'members table, desktop (pl)');

  // By keyboard: role select → its button → weight field → its button → remove, in that order; Enter saves the weight.
  const konst = members.find((x) => x.email === LONG_EMAIL);
  const row = table.locator(`tr[data-member-id="${konst.id}"]`);
  await row.getByLabel(txt('pl', 'member.roleOf', { name: konst.name })).focus();
  const order = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => document.activeElement.getAttribute('aria-label') || document.activeElement.name));
  }
  assert.deepEqual(order, [
    txt('pl', 'member.changeRoleOf', { name: konst.name }), 'weight',
    txt('pl', 'member.changeWeightOf', { name: konst.name }), txt('pl', 'member.removeOf', { name: konst.name }),
  ]);
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('2.5');
  await page.keyboard.press('Enter');
  await page.getByText(txt('pl', 'member.weightChanged', { name: konst.name })).waitFor();
  await table.locator(`tr[data-member-id="${konst.id}"] td[data-weight="2.5"]`).waitFor();

  // English on a desktop; then a phone: cards, nothing sideways, 44 px buttons.
  const en = await open(op, `/bodies/${bodyId}?tab=members`, 'en', DESKTOP);
  await en.locator('[data-section="members"] .field-hint').waitFor();
  assert.equal(await en.locator('[data-section="members"] .field-hint').innerText(), txt('en', 'member.weightHint'));
  await axeClean(en, 'members table, desktop (en)');
  const phone = await open(op, `/bodies/${bodyId}?tab=members`, 'pl', PHONE);
  const ptable = phone.locator('[data-section="members"] table');
  await ptable.locator(`tr[data-email="${LONG_EMAIL}"]`).waitFor();
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling on a phone');
  const small = await ptable.locator('button').evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().height).filter((hgt) => hgt < 44));
  assert.deepEqual(small, [], 'every button at least 44 px tall');
  await axeClean(phone, 'members table, phone (pl)');
  suite.pages.assertQuiet();
});

test('no quorum rule: the projector says no quorum is required, with the present count (pl, en)', { timeout: 90000 }, async () => {
  const admin = await signIn(suite.srv, DEMO.admin, { via: 'stdout' });
  const { bodyId } = await demoIds(admin);
  await ok(admin.patch(`/api/bodies/${bodyId}`, { quorum_rule: 'none' }), 'no quorum rule');
  const [op, ...present] = await signInMany(suite.srv, [DEMO.operator, DEMO.member(1), DEMO.member(2), DEMO.member(3)]);
  const m = await meetingWith(op, bodyId, present, 'Zebranie bez wymogu kworum');
  for (const [lang, viewport] of [['pl', WIDE], ['en', DESKTOP]]) {
    const proj = await open(op, `/meetings/${m.id}/projector`, lang, viewport);
    const q = proj.locator('[data-region="quorum"]');
    await q.locator('[data-quorum="not-required"]').waitFor();
    assert.equal((await q.locator('[data-quorum]').innerText()).trim(), txt(lang, 'quorum.notRequired'));
    assert.equal((await q.locator('.quorum-count').innerText()).trim(), txt(lang, 'quorum.countPresent', { present: 3, size: 15 }));
    assert.equal(await q.locator('[data-quorum="yes"], [data-quorum="no"]').count(), 0, 'no quorum state of yes or no');
    const lines = (await q.innerText()).split('\n').map((x) => x.trim()).filter(Boolean);
    for (const wrong of [txt(lang, 'quorum.yes'), txt(lang, 'quorum.no'), txt(lang, 'quorum.count', { present: 3, size: 15, required: 0 })]) {
      assert.ok(!lines.includes(wrong), `"${wrong}" is not said:\n${lines.join('\n')}`);
    }
    await axeClean(proj, `projector without a quorum rule (${lang})`);
  }
  await ok(admin.patch(`/api/bodies/${bodyId}`, { quorum_rule: 'half_statutory' }), 'the rule back');
  suite.pages.assertQuiet();
});

test('a grantor who voted in person and left: the holder is told their ballot stands, no buttons for them (pl)', { timeout: 90000 }, async () => {
  const admin = await signIn(suite.srv, DEMO.admin, { via: 'stdout' });
  const { bodyId } = await demoIds(admin);
  const [op, A, D, ...rest] = await signInMany(suite.srv, [DEMO.operator, DEMO.member(5), DEMO.member(6), DEMO.member(7), DEMO.member(8)]);
  const m0 = await createMeeting(op, bodyId, { title: 'Sesja z pełnomocnikiem' });
  const doc = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(512), Buffer.from('\n%%EOF\n')]);
  const q = new URLSearchParams({ grantor_id: D.user.id, holder_id: A.user.id, meeting_id: m0.id }).toString();
  await ok(op.api('POST', `/api/bodies/${bodyId}/proxies?${q}`, doc, { headers: { 'content-type': 'application/pdf', 'x-filename': 'pelnomocnictwo.pdf' }, raw: true }), 'A for D');
  const P = `/api/meetings/${m0.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await Promise.all([A, D, ...rest].map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), 'present')));
  await eventually(async () => (await op.get(`${P}/state`)).json.attendance.is_check_open === false, 5000);
  const v = await ok(op.post(`${P}/votes`, { title: 'Wniosek o zamknięcie dyskusji', duration_s: 600, allow_change: true }), 'vote');
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  const page = await open(A, `/meetings/${m0.id}`, 'pl', PHONE);
  const section = page.locator(`[data-proxy-for="${D.user.id}"]`);
  await section.locator('[data-proxy-blocked="grantorPresent"]').waitFor();
  await ok(D.post(`/api/votes/${v.id}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 'D votes in person');
  await ok(D.post(`${P}/presence`, { is_present: false }), 'D leaves');
  const note = section.locator('[data-proxy-blocked="grantorVoted"]');
  await note.waitFor({ timeout: 10000 });
  assert.equal(await note.innerText(), txt('pl', 'proxy.grantorVoted', { name: D.user.name }));
  assert.equal(await section.locator('button').count(), 0, 'no buttons for D');
  await axeClean(page, 'holder, grantor voted and left (pl, phone)');
  suite.pages.assertQuiet();
});
