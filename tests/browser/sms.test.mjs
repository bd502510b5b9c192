// SMS notices on the account page (issue 17 item 5) in real Chromium: a
// member enters a mobile number and opts in (Polish, phone), an invalid
// number is refused next to the field, then opts out (English, desktop);
// what the page saved is what the API holds. axe-clean in pl and en, the
// save button at least 44 px, no console errors or CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signInMany, DEMO, ok } from '../e2e/lib.mjs';
import { PHONE, DESKTOP, txt, demoSuite } from './browser.mjs';

// The gateway is never reached here: no notice is triggered.
const suite = demoSuite({ before, after }, { config: { sms_url: 'http://127.0.0.1:9/sms', sms_authorization: 'Bearer x' } });
const { pages } = suite;

test('account page: SMS number and opt-in, an invalid number refused, opt-out; pl and en', { timeout: 120000 }, async () => {
  const [member] = await signInMany(suite.srv, [DEMO.member(2)]);

  const pl = await pages.open(member, '/account', 'pl', PHONE);
  await pl.getByRole('heading', { name: txt('pl', 'sms.heading') }).waitFor();
  await pages.axeClean(pl, 'account with the SMS panel (pl, phone)');
  const phone = pl.getByLabel(txt('pl', 'sms.phone'));
  const optIn = pl.getByLabel(txt('pl', 'sms.optIn'));
  assert.equal(await phone.inputValue(), '');
  assert.equal(await optIn.isChecked(), false, 'off until the member opts in');
  const panel = pl.locator('section', { has: pl.getByRole('heading', { name: txt('pl', 'sms.heading') }) });
  const save = panel.getByRole('button', { name: txt('pl', 'common.save') });
  assert.ok((await save.boundingBox()).height >= 44, 'the save button is at least 44 px high');

  await phone.fill('601 234');
  await optIn.check();
  await save.click();
  await panel.locator('[data-field="phone"] .field-error', { hasText: txt('pl', 'sms.error.phone') }).waitFor();
  assert.equal(await phone.getAttribute('aria-invalid'), 'true');
  await pages.axeClean(pl, 'SMS panel with a refused number (pl)');
  assert.deepEqual(await ok(member.get('/api/me/sms'), 'after refusal'), { phone: '', is_opted_in: false, is_available: true });

  await phone.fill('+48 601 234 567');
  await save.click();
  await panel.getByText(txt('pl', 'sms.savedOn')).waitFor();
  assert.equal(await phone.inputValue(), '+48601234567', 'shown as stored');
  assert.deepEqual(await ok(member.get('/api/me/sms'), 'opted in'), { phone: '+48601234567', is_opted_in: true, is_available: true });

  const en = await pages.open(member, '/account', 'en', DESKTOP);
  await en.getByRole('heading', { name: txt('en', 'sms.heading') }).waitFor();
  assert.equal(await en.getByLabel(txt('en', 'sms.phone')).inputValue(), '+48601234567');
  const enOpt = en.getByLabel(txt('en', 'sms.optIn'));
  assert.equal(await enOpt.isChecked(), true);
  await pages.axeClean(en, 'account with the SMS panel (en, desktop)');
  await enOpt.uncheck();
  await en.locator('section', { has: en.getByRole('heading', { name: txt('en', 'sms.heading') }) })
    .getByRole('button', { name: txt('en', 'common.save') }).click();
  await en.getByText(txt('en', 'sms.savedOff')).waitFor();
  assert.deepEqual(await ok(member.get('/api/me/sms'), 'opted out'), { phone: '+48601234567', is_opted_in: false, is_available: true });

  pages.assertQuiet(/Failed to load resource: .* 422 /);
});
