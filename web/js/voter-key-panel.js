// voter-key-panel.js — the account page's "voting key" section (spec v2):
// the fingerprint of the key registered for the member and of this device's
// key, so that a member can compare them with the electorate on a vote's
// board; a key registered from another device can be replaced by this one.
//
//   nodes.push(await voterKeyPanel(me));

import { h } from './dom.js';
import { setI18n } from './i18n.js';
import { section, statusLine, button } from './ui.js';
import { voterKeyStatus, useThisDevice } from './voter-key-sync.js';

export async function voterKeyPanel(me) {
  const body = h('div', { dataset: { voterKeyPanel: '' } });
  const status = statusLine();
  async function show() {
    let s;
    try {
      s = await voterKeyStatus(me.user.id);
    } catch {
      body.replaceChildren(h('p', { class: 'form-error', i18n: 'voterKey.unavailable' }));
      return;
    }
    const same = s.registered && s.registered.public_key === s.device.hex;
    const rows = [
      h('dt', { i18n: 'voterKey.registered' }),
      h('dd', { class: 'mono', dataset: { voterKey: 'registered' } }, s.registered ? s.registered.fingerprint : '—'),
      h('dt', { i18n: 'voterKey.device' }),
      h('dd', { class: 'mono', dataset: { voterKey: 'device' } }, s.device.fingerprint),
    ];
    const use = same ? null : button('voterKey.useThisDevice', async (ev) => {
      ev.target.disabled = true;
      try {
        await useThisDevice(me.user.id);
        setI18n(status, 'voterKey.registeredNow');
        await show();
      } catch {
        setI18n(status, 'voterKey.unavailable');
        ev.target.disabled = false;
      }
    }, { dataset: { action: 'use-device-key' } });
    body.replaceChildren(
      h('dl', { class: 'facts' }, rows),
      h('p', { class: same ? 'muted' : 'notice', dataset: { voterKeyState: same ? 'this-device' : 'other' }, i18n: same ? 'voterKey.same' : 'voterKey.other' }),
      use ? h('div', { class: 'actions' }, use) : null);
  }
  await show();
  return section('voterKey.heading', [h('p', { i18n: 'voterKey.intro' }), body, status]);
}
