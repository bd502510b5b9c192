// screenshots.mjs — `make screenshots`: starts `obrady serve --demo`, plays
// the demo's upcoming session (start, attendance, an open and a secret vote)
// in real Chromium and writes the main screens at 390×844 (phone) and
// 1920×1080 (projector, console, office) to docs/screens/*.png, so anyone can
// see the product without running it. Needs `make` and `make web-vendor`.
import fs from 'node:fs';
import path from 'node:path';
import {
  startServer, stopAll, signInMany, demoIds, DEMO, DEMO_MEMBERS, ok, SESSION_COOKIE, sleep,
} from '../tests/e2e/lib.mjs';
import { REPO, launchBrowser, newContext } from '../tests/browser/browser.mjs';

const OUT = path.join(REPO, 'docs', 'screens');
const PHONE = { width: 390, height: 844 };
const WIDE = { width: 1920, height: 1080 };

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const srv = await startServer({ args: ['--demo'] });
  const browser = await launchBrowser();
  try {
    const [op, chair, ...members] = await signInMany(srv, [DEMO.operator, DEMO.chair, ...DEMO_MEMBERS.slice(1)]);
    const me = members[1]; // radny02, on the phone
    const { bodyId } = await demoIds(op);
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
    await shot(phone, 'member-interpellations-390', `/bodies/${bodyId}?tab=interpellations`, '[data-tab="interpellations"]');

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
  } finally {
    await browser.close();
    await stopAll();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
