// screenshots.mjs — `make screenshots`: starts `obrady serve --demo`, plays
// the demo's upcoming session (start, attendance, an open and a secret vote,
// a vote by proxy) and a housing community's vote on shares in real Chromium
// and writes the main screens at 390×844 (phone) and 1920×1080 (projector,
// console, office) to docs/screens/*.png, so anyone can see the product
// without running it. Needs `make` and `make web-vendor`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  startServer, stopAll, signIn, signInMany, demoIds, createMeeting, eventually, DEMO, DEMO_MEMBERS, ok,
  SESSION_COOKIE, sleep,
} from '../tests/e2e/lib.mjs';
import { REPO, launchBrowser, newContext } from '../tests/browser/browser.mjs';

const OUT = path.join(REPO, 'docs', 'screens');
const PHONE = { width: 390, height: 844 };
const WIDE = { width: 1920, height: 1080 };

/** A small PDF standing in for a scanned document. */
const pdf = (text) => Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`);
/** Uploads `bytes` as the raw body of a POST, named `filename` → its JSON. */
const upload = (client, url, filename, bytes, what) => ok(client.api('POST', url, bytes, {
  headers: { 'content-type': 'application/pdf', 'x-filename': encodeURIComponent(filename) }, raw: true,
}), what);

/** Two interpellations in the council's register: one answered, a file on each side; one waiting. */
async function interpellations(op, me, other, bodyId) {
  const B = `/api/bodies/${bodyId}`;
  const a = await ok(me.post(`${B}/interpellations`, {
    kind: 'interpellation', subject: 'Oświetlenie przejścia dla pieszych przy ul. Szkolnej',
    text: 'Wnoszę o doświetlenie przejścia dla pieszych przy Szkole Podstawowej nr 1: po zmroku kierowcy nie widzą dzieci.',
  }), 'interpellation');
  await upload(me, `/api/interpellations/${a.id}/attachments?part=filing`, 'zdjęcia przejścia.pdf', pdf('przejscie'), 'filing file');
  await ok(op.post(`/api/interpellations/${a.id}/register`, { number: 'IN.0003.12.2026', received_on: '2026-11-16' }), 'register');
  await ok(op.post(`/api/interpellations/${a.id}/answer`, {
    answer: 'Lampy nad przejściem zostaną zamontowane do końca stycznia 2027 r.; zlecenie przekazano Zakładowi Usług Komunalnych.',
    answered_on: '2026-11-27',
  }), 'answer');
  await upload(op, `/api/interpellations/${a.id}/attachments?part=answer`, 'odpowiedź burmistrza.pdf', pdf('odpowiedz'), 'answer file');
  const q = await ok(other.post(`${B}/interpellations`, {
    kind: 'question', subject: 'Harmonogram odbioru odpadów wielkogabarytowych',
    text: 'Kiedy w 2027 r. odbędzie się zbiórka odpadów wielkogabarytowych w sołectwie Dąbrowa?',
  }), 'question');
  await ok(op.post(`/api/interpellations/${q.id}/register`, { number: 'IN.0003.13.2026', received_on: '2026-12-02' }), 'register q');
  return a.id;
}

/**
 * A housing community deciding on shares: a body with weights, eight owners
 * whose shares add up to 1; three owning 51.4 % vote for, four against.
 * Returns the meeting and the body.
 */
async function housingCommunity(admin, op, orgId, owners) {
  const body = await ok(admin.post(`/api/orgs/${orgId}/bodies`, {
    name: 'Wspólnota Mieszkaniowa „Lipowa 12”', statutory_size: owners.length, kind: 'other',
    quorum_rule: 'none', uses_weights: true,
  }), 'community');
  const shares = ['0.2140', '0.1580', '0.1420', '0.1210', '0.1130', '0.0980', '0.0870', '0.0670'];
  for (const [i, o] of owners.entries()) {
    await ok(op.post(`/api/bodies/${body.id}/members`, {
      email: o.email, name: o.user.name, weight: shares[i], role: i === 0 ? 'chair' : 'member',
    }), 'owner');
  }
  const m = await createMeeting(op, body.id, { title: 'Zebranie właścicieli lokali — grudzień 2026' });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start community');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check community');
  const present = owners.slice(0, 7);
  await Promise.all(present.map((o) => ok(o.post(`${P}/attendance-checks/${c.check_id}/present`, {}), 'present')));
  await eventually(async () => (await op.get(`${P}/state`)).json.attendance.is_check_open === false, 10000);
  const v = await ok(op.post(`${P}/votes`, {
    title: 'Uchwała nr 7/2026 w sprawie docieplenia budynku i remontu elewacji',
    motion: 'Kto jest za wykonaniem docieplenia budynku ze środków funduszu remontowego?',
    majority: 'shares_all', duration_s: 900,
  }), 'shares vote');
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open shares vote');
  const choices = ['yes', 'yes', 'yes', 'no', 'no', 'no', 'no'];
  await Promise.all(present.map((o, i) => ok(o.post(`/api/votes/${v.id}/ballots`, { ballot_id: crypto.randomUUID(), choice: choices[i] }), 'ballot')));
  await ok(op.post(`/api/votes/${v.id}/close`, {}), 'close shares vote');
  return { meetingId: m.id, bodyId: body.id };
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const srv = await startServer({ args: ['--demo'] });
  const browser = await launchBrowser();
  try {
    const [op, chair, ...members] = await signInMany(srv, [DEMO.operator, DEMO.chair, ...DEMO_MEMBERS.slice(1)]);
    const me = members[1]; // radny02, on the phone
    const { bodyId, orgId } = await demoIds(op);
    const { meetings } = await ok(op.get(`/api/bodies/${bodyId}/meetings`), 'meetings');
    const next = meetings.find((m) => m.status === 'convened');
    const past = meetings.find((m) => m.status === 'closed');

    const pageFor = async (client, viewport) => {
      const ctx = await newContext(browser, { viewport });
      await ctx.addCookies([{ name: SESSION_COOKIE, value: client.cookie, url: srv.url }]);
      await ctx.addInitScript(() => window.localStorage.setItem('obrady.signedIn', '1'));
      return ctx.newPage();
    };
    const shot = async (page, name, p, waitFor = null) => {
      if (p) await page.goto(srv.url + p);
      await page.waitForSelector('html[data-ready="true"]', { timeout: 15000 }).catch(() => {});
      if (waitFor) await page.waitForSelector(waitFor, { timeout: 15000 });
      await sleep(400);
      await page.screenshot({ path: path.join(OUT, `${name}.png`), animations: 'disabled' });
      console.log(`wrote docs/screens/${name}.png`);
    };

    const phone = await pageFor(me, PHONE);
    const office = await pageFor(op, WIDE);
    await shot(office, 'office-home-1920', '/');
    await shot(phone, 'member-home-390', '/');
    const pub = await (await newContext(browser, { viewport: WIDE })).newPage();
    await shot(pub, 'public-results-1920', `/public/meetings/${past.id}`);
    // The office's year: attendance over a period, templates, interpellations.
    await office.goto(`${srv.url}/bodies/${bodyId}?tab=attendance`);
    await office.click('form[data-form="attendance"] button[type="submit"]');
    await office.waitForSelector('[data-attendance-pdf]', { timeout: 15000 });
    await office.locator('[data-attendance-result]').scrollIntoViewIfNeeded();
    await shot(office, 'body-attendance-1920', null, '[data-attendance-pdf]');
    await shot(office, 'body-templates-1920', `/bodies/${bodyId}?tab=templates`, '[data-tab="templates"]');
    const interpId = await interpellations(op, me, members[4], bodyId);
    await phone.goto(`${srv.url}/bodies/${bodyId}?tab=interpellations`);
    const card = phone.locator(`[data-interpellation-id="${interpId}"]`);
    await card.locator('[data-attachments="answer"] a').waitFor({ timeout: 15000 });
    await card.evaluate((el) => { el.scrollIntoView({ block: 'start' }); window.scrollBy(0, -16); });
    await shot(phone, 'member-interpellations-390', null);
    await shot(pub, 'public-interpellations-1920', `/public/bodies/${bodyId}/interpellations`, '[data-attachments="answer"] a');

    // The session starts; the member confirms presence on the phone.
    const P = `/api/meetings/${next.id}`;
    await ok(op.post(`${P}/start`, {}), 'start');
    await phone.goto(`${srv.url}/meetings/${next.id}`);
    const chk = await ok(op.post(`${P}/attendance-checks`, { duration_s: 600 }), 'check');
    await shot(phone, 'member-present-390', null, '[data-action="present"]');
    await phone.click('[data-action="present"]');
    await phone.waitForSelector('[data-present="confirmed"]');
    await Promise.all([chair, ...members.filter((m) => m !== me).slice(0, 11)].map((c) => ok(c.post(`${P}/attendance-checks/${chk.check_id}/present`, {}), 'present')));
    const { agenda } = await ok(op.get(P), 'agenda');
    const budgetItem = agenda[2].id ?? agenda[2].item_id;
    await ok(op.post(`${P}/current-item`, { item_id: budgetItem }), 'item');

    const v = await ok(op.post(`${P}/votes`, {
      title: 'Uchwała budżetowa Gminy Przykładowo na rok 2027', item_id: budgetItem,
      motion: 'Kto jest za przyjęciem uchwały budżetowej na rok 2027?', kind: 'open', duration_s: 600,
    }), 'vote');
    await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
    await shot(phone, 'member-vote-390', null, '.ballot-buttons button');
    const choices = ['yes', 'yes', 'no', 'yes', 'abstain', 'yes', 'yes', 'no', 'yes', 'yes', 'yes'];
    await Promise.all([chair, ...members.filter((m) => m !== me).slice(0, 10)].map((c, i) => ok(c.post(`/api/votes/${v.id}/ballots`, { ballot_id: `screens-ballot-${i}`, choice: choices[i] }), 'ballot')));
    const projector = await pageFor(op, WIDE);
    await shot(projector, 'projector-1920', `/meetings/${next.id}/projector`);
    await shot(office, 'console-1920', `/meetings/${next.id}/console`);
    await ok(op.post(`/api/votes/${v.id}/close`, {}), 'close');
    await shot(projector, 'projector-result-1920', null);

    const s = await ok(op.post(`${P}/votes`, {
      title: 'Powołanie przewodniczącej komisji rewizyjnej', kind: 'secret',
      motion: 'Czy powołać radną Irenę Kozłowską na przewodniczącą komisji rewizyjnej?', duration_s: 600,
    }), 'secret');
    await ok(op.post(`/api/votes/${s.id}/open`, {}), 'open secret');
    await shot(phone, 'member-secret-390', null, '[data-secret-vote] button[data-option]');
    await ok(op.post(`/api/votes/${s.id}/close`, {}), 'close secret');

    // radny14 is absent and gave radny02 a proxy: the office's register, then a second set of buttons on the phone.
    const grantor = members[13];
    await upload(op, `/api/bodies/${bodyId}/proxies?${new URLSearchParams({ grantor_id: grantor.user.id, holder_id: me.user.id, meeting_id: next.id })}`,
      'pełnomocnictwo radny14.pdf', pdf('pelnomocnictwo'), 'proxy');
    await office.goto(`${srv.url}/bodies/${bodyId}?tab=proxies`);
    await office.waitForSelector('[data-proxies-list] tbody tr', { timeout: 15000 });
    await office.locator('[data-proxies-list]').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shot(office, 'body-proxies-1920', null);
    const w = await ok(op.post(`${P}/votes`, {
      title: 'Uchwała w sprawie nadania nazwy ulicy w Dąbrowie', item_id: budgetItem,
      motion: 'Kto jest za nadaniem ulicy nazwy „Jana Pawła II”?', kind: 'open', duration_s: 600,
    }), 'proxy vote');
    await ok(op.post(`/api/votes/${w.id}/open`, {}), 'open proxy vote');
    await phone.goto(`${srv.url}/meetings/${next.id}`);
    const forB = phone.locator(`[data-proxy-ballot="${grantor.user.id}"]`);
    await forB.waitFor({ timeout: 15000 });
    await phone.locator('.ballot-buttons').first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(phone, 'member-proxy-390', null);

    // A housing community's vote decided on shares, both counts on the projector; its owners' table.
    const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
    const community = await housingCommunity(admin, op, orgId, members.slice(6, 14));
    await shot(projector, 'projector-shares-1920', `/meetings/${community.meetingId}/projector`, '[data-list="result-shares"]');
    await shot(office, 'body-members-weights-1920', `/bodies/${community.bodyId}?tab=members`, 'td[data-weight="0.214"], td[data-weight="0.2140"]');
  } finally {
    await browser.close();
    await stopAll();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
