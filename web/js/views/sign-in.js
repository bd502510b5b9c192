// views/sign-in.js — "/sign-in" and "/m/{token}": signing in with a code
// sent by e-mail. Step 1: the address → POST /api/auth/code (always 202, so
// we never say whether the address is known). Step 2: the six-digit code →
// POST /api/auth/session. Step 3, only for accounts with an authenticator
// app: its code or a recovery code → POST /api/auth/totp. A meeting access
// link (/m/{token}) pre-fills the address (GET /api/access/{token}).

import { h } from '../dom.js';
import { getLang, setLang, setI18n } from '../i18n.js';
import { store } from '../prefs.js';
import { get, post, ApiError } from '../api.js';
import { getMe, loadMe, safeNext } from '../session.js';
import { field, formError, statusLine, submit, button, onSubmit, showError, clearErrors } from '../ui.js';

export const titleKey = 'signIn.title';

const CODE_ERRORS = {
  code_invalid: 'signIn.error.codeInvalid',
  code_expired: 'signIn.error.codeExpired',
  code_dead: 'signIn.error.codeDead',
  totp_invalid: 'signIn.error.totpInvalid',
  email_invalid: 'signIn.error.emailInvalid',
};

export async function render(outlet, { params, query, router }) {
  const state = { email: '', next: safeNext(query.get('next')) };
  const box = h('div', { class: 'sign-in-steps' });
  const intro = h('div', {});

  if (params.token) {
    try {
      const link = await get(`/api/access/${encodeURIComponent(params.token)}`);
      if (link && link.email) state.email = link.email;
      // The link leads to its meeting once signed in (unless ?next= says otherwise).
      if (link && link.meeting_id && !query.get('next')) state.next = `/meetings/${encodeURIComponent(link.meeting_id)}`;
      const me = getMe();
      if (me && link && link.meeting_id && (!link.email || link.email === me.user.email)) {
        router.navigate(state.next, { replace: true });
        return [];
      }
      intro.append(link && link.name
        ? h('p', { class: 'lead', i18n: 'signIn.link.hello', i18nParams: { name: link.name } })
        : h('p', { class: 'lead', i18n: 'signIn.link.meeting' }));
    } catch (err) {
      const key = err instanceof ApiError && (err.status === 404 || err.status === 410) ? 'signIn.link.invalid' : 'signIn.link.failed';
      intro.append(h('p', { class: 'notice', role: 'alert', i18n: key }));
    }
  }

  const done = async (user) => {
    // The person's own language, unless this browser already chose one.
    if (!store.get('obrady.lang') && user && user.lang && user.lang !== getLang()) {
      await setLang(user.lang, { remember: false }).catch(() => {});
    }
    await loadMe();
    router.navigate(state.next, { replace: true });
  };

  const status = statusLine();

  const showStep = (form, focusEl) => {
    box.replaceChildren(form);
    if (focusEl) focusEl.focus();
  };

  function emailStep({ focus = false } = {}) {
    const email = field({
      name: 'email', label: 'signIn.email', type: 'email', required: true, value: state.email,
      hint: 'signIn.emailHint', attrs: { autocomplete: 'email', inputmode: 'email', spellcheck: 'false', autocapitalize: 'none' },
    });
    const form = h('form', { class: 'form', novalidate: true, dataset: { step: 'email' } },
      h('h2', { i18n: 'signIn.step1' }),
      formError(),
      email.wrap,
      h('div', { class: 'actions' }, submit('signIn.sendCode')));
    onSubmit(form, async () => {
      const value = email.input.value.trim();
      if (!value) {
        throw new ApiError(422, 'missing', '', 'email');
      }
      state.email = value;
      await post('/api/auth/code', { email: value, lang: getLang() });
      codeStep({ sent: true });
    }, { ...CODE_ERRORS, missing: 'signIn.error.emailMissing' });
    showStep(form, focus ? email.input : null);
  }

  async function resend(form) {
    clearErrors(form);
    try {
      await post('/api/auth/code', { email: state.email, lang: getLang() });
      status.replaceChildren();
      status.append(h('span', { i18n: 'signIn.sentAgain', i18nParams: { email: state.email } }));
      form.querySelector('input[name="code"]').value = '';
      form.querySelector('input[name="code"]').focus();
    } catch (err) {
      showError(form, err, CODE_ERRORS);
    }
  }

  function codeStep({ sent }) {
    const code = field({
      name: 'code', label: 'signIn.code', hint: 'signIn.codeHint', required: true,
      attrs: { inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: '6', spellcheck: 'false' },
    });
    status.replaceChildren(h('span', { i18n: sent ? 'signIn.sent' : 'signIn.sentAgain', i18nParams: { email: state.email } }));
    const form = h('form', { class: 'form', novalidate: true, dataset: { step: 'code' } },
      h('h2', { i18n: 'signIn.step2' }),
      status,
      formError(),
      code.wrap,
      h('div', { class: 'actions' },
        submit('signIn.signIn'),
        button('signIn.resend', () => resend(form)),
        button('signIn.changeEmail', () => emailStep({ focus: true }))));
    onSubmit(form, async () => {
      const value = code.input.value.replace(/\s+/g, '');
      if (!/^[0-9]{6}$/.test(value)) throw new ApiError(422, 'code_format', '', 'code');
      const r = await post('/api/auth/session', { email: state.email, code: value });
      if (r && r.totp_required) totpStep();
      else await done(r && r.user);
    }, { ...CODE_ERRORS, code_format: 'signIn.error.codeFormat' });
    showStep(form, code.input);
  }

  function totpStep() {
    let recovery = false;
    const code = field({
      name: 'code', label: 'signIn.totp', hint: 'signIn.totpHint', required: true,
      attrs: { inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '9', spellcheck: 'false', autocapitalize: 'none' },
    });
    const label = code.wrap.querySelector('label');
    const hint = code.wrap.querySelector('.field-hint');
    const toggle = button('signIn.useRecovery', () => {
      recovery = !recovery;
      code.input.setAttribute('inputmode', recovery ? 'text' : 'numeric');
      setI18n(label, recovery ? 'signIn.recovery' : 'signIn.totp');
      setI18n(hint, recovery ? 'signIn.recoveryHint' : 'signIn.totpHint');
      setI18n(toggle, recovery ? 'signIn.useTotp' : 'signIn.useRecovery');
      code.input.value = '';
      code.input.focus();
    });
    const form = h('form', { class: 'form', novalidate: true, dataset: { step: 'totp' } },
      h('h2', { i18n: 'signIn.step3' }),
      h('p', { i18n: 'signIn.totpIntro' }),
      formError(),
      code.wrap,
      h('div', { class: 'actions' }, submit('signIn.confirm'), toggle));
    onSubmit(form, async () => {
      const value = code.input.value.trim().toLowerCase();
      if (!(recovery ? /^[0-9a-z]{4}-[0-9a-z]{4}$/ : /^[0-9]{6}$/).test(value)) {
        throw new ApiError(422, recovery ? 'recovery_format' : 'code_format', '', 'code');
      }
      const r = await post('/api/auth/totp', { code: value });
      await done(r && r.user);
    }, { ...CODE_ERRORS, code_format: 'signIn.error.codeFormat', recovery_format: 'signIn.error.recoveryFormat',
      unauthorized: 'signIn.error.totpSession' });
    showStep(form, code.input);
  }

  emailStep();
  return [
    h('h1', { i18n: 'signIn.heading' }),
    intro,
    h('p', { i18n: 'signIn.intro' }),
    box,
  ];
}
