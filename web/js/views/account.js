// views/account.js — "/account": my name and language (PATCH /api/me), my
// sessions (list; sign out the others), and the authenticator app: set-up
// (the secret in groups of four and the otpauth:// link; no QR code), enabling
// it with a code (shows ten recovery codes once, downloadable as .txt) and
// disabling it with a code; SMS notices (account-sms.js).

import { h } from '../dom.js';
import { setI18n, setLang, getLang, formatDateTime } from '../i18n.js';
import { get, post, patch, del } from '../api.js';
import { requireMe, updateUser, loadMe } from '../session.js';
import { voterKeyPanel } from '../voter-key-panel.js';
import { smsPanel } from './account-sms.js';
import { field, formError, statusLine, submit, button, onSubmit, section, signInRequired, showError } from '../ui.js';

export const titleKey = 'account.title';

function profileSection(me) {
  const name = field({ name: 'name', label: 'account.name', required: true, value: me.user.name, attrs: { autocomplete: 'name', maxlength: '200' } });
  const lang = field({ name: 'lang', label: 'account.lang', hint: 'account.langHint', tag: 'select', options: [['pl', 'lang.pl'], ['en', 'lang.en']], value: me.user.lang });
  const status = statusLine();
  const form = h('form', { class: 'form', novalidate: true },
    h('p', {}, h('span', { i18n: 'account.email' }), ' ', h('strong', {}, me.user.email)),
    formError(), name.wrap, lang.wrap, h('div', { class: 'actions' }, submit('common.save')), status);
  onSubmit(form, async () => {
    status.replaceChildren();
    const r = await patch('/api/me', { name: name.input.value.trim(), lang: lang.input.value });
    updateUser(r.user);
    if (r.user.lang !== getLang()) await setLang(r.user.lang);
    setI18n(status, 'common.saved');
  });
  return section('account.profile', form);
}

function shortAgent(ua) {
  if (!ua) return '';
  const m = /(Firefox|Edg|OPR|Chrome|Chromium|Safari)\/[\d.]+/.exec(ua);
  const os = /(Android|iPhone|iPad|Windows|Mac OS X|Linux)/.exec(ua);
  if (!m) return ua.slice(0, 60);
  const names = { Edg: 'Edge', OPR: 'Opera' };
  return `${names[m[1]] || m[1]}${os ? ` (${os[1]})` : ''}`;
}

function sessionsSection() {
  const list = h('ul', { class: 'sessions', role: 'list', dataset: { list: 'sessions' } });
  const status = statusLine();
  const refresh = async () => {
    const { sessions } = await get('/api/me/sessions');
    list.replaceChildren(...sessions.map((s) => {
      const li = h('li', { class: 'session card', dataset: { sessionId: s.id, current: String(!!s.is_current) } },
        h('p', {}, h('strong', {}, shortAgent(s.user_agent) || '—'),
          s.is_current ? [' ', h('span', { class: 'badge', i18n: 'account.thisDevice' })] : null),
        h('p', { i18n: 'account.sessionTimes', i18nParams: { created: formatDateTime(s.created_ms), seen: formatDateTime(s.last_seen_ms), ip: s.ip || '—' } }));
      if (!s.is_current) {
        const btn = h('button', { type: 'button', class: 'btn btn-small', i18n: 'account.revoke' });
        btn.addEventListener('click', async () => {
          btn.disabled = true;
          try {
            await del(`/api/me/sessions/${encodeURIComponent(s.id)}`);
            setI18n(status, 'account.revoked');
            await refresh();
          } catch (err) {
            btn.disabled = false;
            showError(li, err);
          }
        });
        li.append(h('div', { class: 'field-error', role: 'alert', dataset: { formError: '' } }), btn);
      }
      return li;
    }));
    othersBtn.hidden = sessions.filter((s) => !s.is_current).length === 0;
  };
  const othersBtn = button('account.revokeOthers', async () => {
    othersBtn.disabled = true;
    try {
      const { sessions } = await get('/api/me/sessions');
      for (const s of sessions) if (!s.is_current) await del(`/api/me/sessions/${encodeURIComponent(s.id)}`);
      setI18n(status, 'account.revokedOthers');
      await refresh();
    } finally {
      othersBtn.disabled = false;
    }
  });
  return { node: section('account.sessions', [h('p', { i18n: 'account.sessionsIntro' }), list, status, h('div', { class: 'actions' }, othersBtn)]), refresh };
}

function groups4(secret) {
  return secret.toUpperCase().match(/.{1,4}/g).join(' ');
}

function totpSection(me) {
  const box = h('div', {});
  const status = statusLine();
  let blobUrl = null;

  const showDisabled = () => {
    const start = h('form', { class: 'form', novalidate: true },
      h('p', { i18n: 'totp.off' }), formError(), h('div', { class: 'actions' }, submit('totp.setUp')));
    onSubmit(start, async () => {
      const r = await post('/api/me/totp/setup', null);
      showSetup(r);
    });
    box.replaceChildren(start);
  };

  const showSetup = ({ secret, uri }) => {
    const code = field({ name: 'code', label: 'totp.code', hint: 'totp.codeHint', required: true, attrs: { inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: '6' } });
    const heading = h('h3', { tabindex: '-1', i18n: 'totp.setupHeading' });
    const form = h('form', { class: 'form', novalidate: true },
      heading,
      h('ol', { class: 'steps' },
        h('li', { i18n: 'totp.step1' }),
        h('li', {}, h('span', { i18n: 'totp.step2' }), ' ',
          h('code', { class: 'secret', dataset: { secret: '' } }, groups4(secret)), ' ',
          h('a', { href: uri, i18n: 'totp.openApp' })),
        h('li', { i18n: 'totp.step3' })),
      formError(), code.wrap, h('div', { class: 'actions' }, submit('totp.enable')));
    onSubmit(form, async () => {
      const r = await post('/api/me/totp/enable', { code: code.input.value.trim() });
      showRecovery(r.recovery_codes);
    }, { totp_invalid: 'totp.error.invalid' });
    box.replaceChildren(form);
    heading.focus();
  };

  const showRecovery = (codes) => {
    if (blobUrl) URL.revokeObjectURL(blobUrl);
    const text = `${codes.join('\n')}\n`;
    blobUrl = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const heading = h('h3', { tabindex: '-1', i18n: 'totp.recoveryHeading' });
    const done = button('totp.recoverySaved', async () => {
      await loadMe().catch(() => {});
      showEnabled();
      setI18n(status, 'totp.enabled');
    });
    box.replaceChildren(h('div', { class: 'recovery' },
      heading,
      h('p', { i18n: 'totp.recoveryIntro' }),
      h('ol', { class: 'recovery-codes', dataset: { list: 'recovery' } }, codes.map((c) => h('li', {}, h('code', {}, c)))),
      h('div', { class: 'actions' },
        h('a', { class: 'btn', href: blobUrl, download: 'obrady-kody-odzyskiwania.txt', i18n: 'totp.download' }),
        done)));
    heading.focus();
  };

  const showEnabled = () => {
    const code = field({ name: 'code', label: 'totp.disableCode', hint: 'totp.disableHint', required: true, attrs: { autocomplete: 'one-time-code', maxlength: '9', spellcheck: 'false', autocapitalize: 'none' } });
    const form = h('form', { class: 'form', novalidate: true },
      h('p', { i18n: 'totp.on' }), formError(), code.wrap, h('div', { class: 'actions' }, submit('totp.disable')));
    onSubmit(form, async () => {
      await post('/api/me/totp/disable', { code: code.input.value.trim().toLowerCase() });
      await loadMe().catch(() => {});
      showDisabled();
      setI18n(status, 'totp.disabled');
    }, { totp_invalid: 'totp.error.invalid' });
    box.replaceChildren(form);
  };

  if (me.user.is_totp_enabled) showEnabled();
  else showDisabled();
  return { node: section('totp.heading', [h('p', { i18n: 'totp.intro' }), box, status]) };
}

export async function render(outlet, { path }) {
  const me = await requireMe().catch(() => null);
  if (!me) return signInRequired(path);
  const sessions = sessionsSection();
  try {
    await sessions.refresh();
  } catch {
    /* shown empty; the other parts still work */
  }
  const nodes = [h('h1', { i18n: 'account.heading' }), profileSection(me)];
  const sms = await smsPanel();
  if (sms) nodes.push(sms);
  nodes.push(sessions.node);
  const showTotp = me.user.is_totp_enabled || me.user.is_instance_admin || me.staff.length > 0;
  if (showTotp) nodes.push(totpSection(me).node);
  nodes.push(await voterKeyPanel(me));
  return nodes;
}
