// Proxies on the member's vote screen (issue 17 item 6), in real Chromium:
// the holder of B's proxy sees their own buttons and a second set "for B";
// a tap on "Przeciw — w imieniu: B" is recorded as B's ballot (the server says so)
// and the live named list says "oddany przez pełnomocnika A"; a present
// grantor's proxy shows why it is not used; an open election takes the
// holder's ticks for B too. axe-clean in pl (phone) and en;
// no console errors or CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { signInMany, demoIds, createMeeting, DEMO, eventually, ok } from '../e2e/lib.mjs';
import { PHONE, DESKTOP, txt, demoSuite, screenshot } from './browser.mjs';

const suite = demoSuite({ before, after });
const open = (client, url, lang, viewport) => suite.pageFor(client, url, lang, viewport);
const axeClean = (page, label) => suite.axeClean(page, label);

function register(op, bodyId, q) {
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(512), Buffer.from('\n%%EOF\n')]);
  return op.api('POST', `/api/bodies/${bodyId}/proxies?${new URLSearchParams(q)}`, bytes,
    { headers: { 'content-type': 'application/pdf', 'x-filename': 'pelnomocnictwo.pdf' }, raw: true });
}

test('proxy ballot on the member\'s screen: a second set of buttons for B, counted as B\'s, pl and en, axe-clean', { timeout: 120000 }, async () => {
  const [op, chair, A, B, C, D] = await signInMany(suite.srv, [DEMO.operator, DEMO.chair, DEMO.member(4), DEMO.member(5), DEMO.member(6), DEMO.member(7)]);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Zebranie członków spółdzielni' });
  const P = `/api/meetings/${m.id}`;
  await ok(register(op, bodyId, { grantor_id: B.user.id, holder_id: A.user.id, meeting_id: m.id }), 'A for B');
  await ok(register(op, bodyId, { grantor_id: D.user.id, holder_id: A.user.id, meeting_id: m.id }), 'A for D');
  await ok(op.post(`${P}/start`, {}), 'start');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  // Present: the chair, A, C and D (D votes in person); B is absent.
  await Promise.all([chair, A, C, D].map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), 'present')));
  await eventually(async () => (await op.get(`${P}/state`)).json.attendance.is_check_open === false, 5000);

  // ---- Polish, on a phone
  const pl = await open(A, `/meetings/${m.id}`, 'pl', PHONE);
  const v = await ok(op.post(`${P}/votes`, { title: 'Uchwała o podziale nadwyżki bilansowej', duration_s: 900 }), 'vote');
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  const forB = pl.locator(`[data-proxy-ballot="${B.user.id}"]`);
  await forB.waitFor({ timeout: 15000 });
  // Two sets: A's own buttons and B's.
  await pl.getByRole('button', { name: txt('pl', 'vote.choice.yes'), exact: true }).waitFor();
  await pl.getByRole('heading', { name: txt('pl', 'proxy.forHeading', { name: B.user.name }) }).waitFor();
  // D is present: no buttons for D, and the reason.
  await pl.locator(`[data-proxy-for="${D.user.id}"] [data-proxy-blocked="grantorPresent"]`).waitFor();
  assert.equal(await pl.locator(`[data-proxy-ballot="${D.user.id}"]`).count(), 0);
  await axeClean(pl, 'member screen with a proxy ballot (pl, phone)');
  const noFor = forB.getByRole('button', { name: txt('pl', 'proxy.choiceFor', { choice: txt('pl', 'vote.choice.no'), name: B.user.name }) });
  const box = await noFor.boundingBox();
  assert.ok(box.height >= 44, `the proxy buttons are at least 44 px high (${box.height})`);
  await noFor.click();
  await pl.locator(`[data-proxy-status="${B.user.id}"]`, { hasText: txt('pl', 'vote.choiceUpper.no') }).waitFor({ timeout: 10000 });
  // The server counted it as B's, cast by A.
  const got = (await op.get(`/api/votes/${v.id}`)).json;
  const row = got.named.find((n) => n.user_id === B.user.id);
  assert.equal(row.choice, 'no');
  assert.equal(row.cast_by, A.user.id);
  assert.equal(got.named.find((n) => n.user_id === A.user.id).choice ?? null, null, 'A\'s own ballot is still to cast');
  // A votes for themself with the first set.
  await pl.getByRole('button', { name: txt('pl', 'vote.choice.yes'), exact: true }).click();
  await pl.locator('[data-ballot-status][data-state="confirmed"]').waitFor({ timeout: 10000 });
  await axeClean(pl, 'member screen after both ballots (pl, phone)');
  await screenshot(pl, 'proxy-ballot-pl-phone');

  // The console's live named list says who cast B's ballot.
  const con = await open(op, `/meetings/${m.id}/console`, 'pl', DESKTOP);
  const note = con.locator(`[data-region="vote-live"] [data-list="named"] tr[data-user-id="${B.user.id}"] [data-by-proxy]`);
  await note.waitFor({ timeout: 10000 });
  assert.equal((await note.innerText()).trim(), txt('pl', 'vote.castByProxy', { name: A.user.name }));

  // ---- English, desktop: a new vote, the proxy buttons in English.
  const v2 = await ok(op.post(`${P}/votes`, { title: 'Motion to adjourn', duration_s: 900 }), 'vote 2');
  await ok(op.post(`/api/votes/${v2.id}/open`, {}), 'open 2');
  const en = await open(A, `/meetings/${m.id}`, 'en', DESKTOP);
  await en.getByRole('heading', { name: txt('en', 'proxy.forHeading', { name: B.user.name }) }).waitFor({ timeout: 15000 });
  await en.getByRole('button', { name: txt('en', 'proxy.choiceFor', { choice: txt('en', 'vote.choice.abstain'), name: B.user.name }) }).waitFor();
  await axeClean(en, 'member screen with a proxy ballot (en)');
  await ok(op.post(`/api/votes/${v2.id}/close`, {}), 'close 2');

  // An open election: candidates to tick for B, counted as B's ballot.
  const v3 = await ok(op.post(`${P}/votes`, { title: 'Wybór przewodniczącego zebrania', method: 'election', candidates: ['Anna Lis', 'Jan Kos'], seats: 1, duration_s: 900 }), 'election');
  await ok(op.post(`/api/votes/${v3.id}/open`, {}), 'open 3');
  const form = en.locator(`form[data-proxy-ballot="${B.user.id}"]`);
  await form.waitFor({ timeout: 15000 });
  await form.getByLabel('Jan Kos').check();
  await axeClean(en, 'member screen with a proxy election ballot (en)');
  await form.getByRole('button', { name: txt('en', 'proxy.castElection', { name: B.user.name }) }).click();
  await en.locator(`[data-proxy-status="${B.user.id}"]`, { hasText: 'Jan Kos' }).waitFor({ timeout: 10000 });
  const e3 = (await op.get(`/api/votes/${v3.id}`)).json.named.find((n) => n.user_id === B.user.id);
  assert.deepEqual(e3.choices, [1]);
  assert.equal(e3.cast_by, A.user.id);

  suite.pages.assertQuiet();
});

test('the office\'s register of proxies: upload with the document, a refusal next to its field, revoke; pl and en, axe-clean', { timeout: 120000 }, async () => {
  const [op, A, B, C] = await signInMany(suite.srv, [DEMO.operator, DEMO.member(8), DEMO.member(9), DEMO.member(10)]);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Zebranie przedstawicieli' });
  const page = await open(op, `/bodies/${bodyId}?tab=proxies`, 'pl', PHONE);
  const form = page.locator('form[data-form="proxy"]');
  await form.waitFor();
  await axeClean(page, 'the register of proxies (pl, phone)');
  const pdf = { name: 'pełnomocnictwo.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(256), Buffer.from('\n%%EOF\n')]) };
  const fill = async (grantor, holder) => {
    await form.getByLabel(txt('pl', 'proxies.grantor')).selectOption(grantor.user.id);
    await form.getByLabel(txt('pl', 'proxies.holder')).selectOption(holder.user.id);
    await form.getByLabel(txt('pl', 'proxies.meeting')).selectOption(m.id);
    await form.getByLabel(txt('pl', 'proxies.document')).setInputFiles(pdf);
    await form.getByRole('button', { name: txt('pl', 'proxies.register') }).click();
  };
  await fill(B, A);
  await page.locator('[data-proxies-list] tbody tr', { hasText: B.user.name }).waitFor();
  // A chain: A holds B's proxy, so A cannot give one to C — said next to the grantor field.
  await fill(A, C);
  const err = form.locator('[data-field="grantor_id"] .field-error');
  await err.filter({ hasText: /łańcuch/ }).waitFor();
  assert.equal(await form.getByLabel(txt('pl', 'proxies.grantor')).getAttribute('aria-invalid'), 'true');
  await axeClean(page, 'the register with a refusal (pl, phone)');
  const stored = (await ok(op.get(`/api/bodies/${bodyId}/proxies`), 'list')).proxies.filter((p) => p.meeting_id === m.id);
  assert.equal(stored.length, 1, 'the refused proxy was not stored');
  // Revoke: confirm inline, then the row says who revoked it.
  const row = page.locator(`tr[data-proxy-id="${stored[0].id}"]`);
  await row.getByRole('button', { name: txt('pl', 'proxies.revoke') }).click();
  await row.locator('.confirm button').first().click();
  await row.getByText(/odwołane przez/).waitFor();
  assert.ok((await ok(op.get(`/api/bodies/${bodyId}/proxies`), 'list')).proxies.find((p) => p.id === stored[0].id).revoked_at > 0);

  const en = await open(op, `/bodies/${bodyId}?tab=proxies`, 'en', DESKTOP);
  await en.getByRole('heading', { name: txt('en', 'proxies.listHeading') }).waitFor();
  await en.locator(`tr[data-proxy-id="${stored[0].id}"]`).getByText(/revoked by/).waitFor();
  await axeClean(en, 'the register of proxies (en)');
  // The one refusal the test provokes is logged by the browser as a failed resource.
  suite.pages.assertQuiet(/status of 409 \(Conflict\).*\/proxies\?/);
});
