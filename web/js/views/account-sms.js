// views/account-sms.js — the "SMS notices" panel of /account: my mobile
// number (E.164, +48…) and the opt-in for SMS about meetings convened,
// meetings starting in 15 minutes and votes opened (GET/PUT /api/me/sms).
// Shown only when the installation has an SMS gateway.

import { h } from '../dom.js';
import { setI18n } from '../i18n.js';
import { get, put } from '../api.js';
import { field, checkbox, formError, statusLine, submit, onSubmit, section } from '../ui.js';

export async function smsPanel() {
  let prefs;
  try {
    prefs = await get('/api/me/sms');
  } catch {
    return null;
  }
  if (!prefs.is_available) return null;
  const phone = field({
    name: 'phone', label: 'sms.phone', hint: 'sms.phoneHint', type: 'tel', value: prefs.phone,
    attrs: { autocomplete: 'tel', inputmode: 'tel', maxlength: '32', placeholder: '+48 601 234 567' },
  });
  const optIn = checkbox({ name: 'is_opted_in', label: 'sms.optIn', hint: 'sms.optInHint', checked: prefs.is_opted_in });
  const status = statusLine();
  const form = h('form', { class: 'form', novalidate: true },
    formError(), phone.wrap, optIn.wrap, h('div', { class: 'actions' }, submit('common.save')), status);
  onSubmit(form, async () => {
    status.replaceChildren();
    const r = await put('/api/me/sms', { phone: phone.input.value.trim(), is_opted_in: optIn.input.checked });
    phone.input.value = r.phone;
    optIn.input.checked = r.is_opted_in;
    setI18n(status, r.is_opted_in ? 'sms.savedOn' : 'sms.savedOff');
  }, { out_of_range: 'sms.error.phone' });
  return section('sms.heading', [h('p', { i18n: 'sms.intro' }), form]);
}
