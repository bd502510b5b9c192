// views/vote-confirm.js — a result awaiting the scrutiny committee's
// confirmation (status "confirming", body option confirm_results): the
// chair, operators and the committee see it; committee members confirm it
// or record an objection with a reason; the chair announces it, and only
// then members, the projector and the public see it.

import { h } from '../dom.js';
import { setI18n } from '../i18n.js';
import { post, ApiError } from '../api.js';
import { field, formError, onSubmit, statusLine, errorText } from '../ui.js';
import { resultBlock } from './vote-ui.js';

/**
 * The block for vote v (status "confirming", with pending_result).
 * isCommittee: the viewer may confirm; canAnnounce: the viewer may announce;
 * adopt(vote JSON): takes the server's answer.
 */
export function confirmBlock(v, { isCommittee = false, canAnnounce = false, adopt, level = 4, meId = null }) {
  const path = (action) => `/api/votes/${encodeURIComponent(v.id)}/${action}`;
  const list = v.confirmations || [];
  const out = [
    h('p', { class: 'notice', dataset: { confirmingNotice: '' }, i18n: 'vote.confirm.staffNotice' }),
    v.pending_result ? resultBlock({ ...v, status: 'closed', result: v.pending_result }, { level }) : null,
    h('h5', { class: 'confirm-heading', i18n: 'vote.confirm.listHeading' }),
    list.length
      ? h('ul', { class: 'confirm-list', dataset: { list: 'confirmations' } }, list.map((c) => h('li', { dataset: { userId: c.user_id, objection: c.objection ? 'yes' : 'no' } },
        h('span', {}, c.name), ' — ',
        c.objection ? [h('span', { i18n: 'vote.confirm.objected' }), ': ', h('q', {}, c.objection)] : h('span', { i18n: 'vote.confirm.confirmed' }))))
      : h('p', { class: 'muted', i18n: 'vote.confirm.none' }),
  ];
  const mine = meId ? list.find((c) => c.user_id === meId) : null;
  if (isCommittee && mine) {
    out.push(h('p', { class: 'form-status', role: 'status', dataset: { myConfirmation: mine.objection ? 'objection' : 'confirmed' }, i18n: mine.objection ? 'vote.confirm.objectDone' : 'vote.confirm.confirmDone' }));
  } else if (isCommittee) {
    const objection = field({ name: 'objection', label: 'vote.confirm.objectionField', hint: 'vote.confirm.objectionHint', tag: 'textarea', attrs: { rows: '2', maxlength: '2000' } });
    let mode = 'confirm';
    const confirmBtn = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { action: `confirm-${v.id}` }, i18n: 'vote.confirm.confirm' });
    const objectBtn = h('button', { type: 'submit', class: 'btn', dataset: { action: `object-${v.id}` }, i18n: 'vote.confirm.object' });
    confirmBtn.addEventListener('click', () => { mode = 'confirm'; });
    objectBtn.addEventListener('click', () => { mode = 'object'; });
    const done = statusLine();
    const form = h('form', { class: 'form', novalidate: true, dataset: { form: 'confirm', voteId: v.id } },
      formError(), objection.wrap, h('div', { class: 'actions' }, confirmBtn, objectBtn), done);
    onSubmit(form, async () => {
      const text = objection.input.value.trim();
      if (mode === 'object' && !text) throw new ApiError(422, 'objection', '', 'objection');
      adopt(await post(path('confirm'), mode === 'object' ? { objection: text } : {}));
      setI18n(done, mode === 'object' ? 'vote.confirm.objectDone' : 'vote.confirm.confirmDone');
    }, { objection: 'vote.confirm.objectionMissing' });
    out.push(form);
  }
  if (canAnnounce) {
    const err = h('p', { class: 'form-error', role: 'alert', dataset: { announceError: '' } });
    const btn = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: `announce-${v.id}` }, i18n: 'vote.confirm.announce' });
    btn.addEventListener('click', async () => {
      err.replaceChildren();
      btn.disabled = true;
      try {
        adopt(await post(path('announce')));
      } catch (e) {
        const msg = errorText(e);
        if (msg.key) setI18n(err, msg.key, msg.params);
        else err.textContent = msg.text;
        btn.disabled = false;
      }
    });
    out.push(h('div', { class: 'actions' }, btn), err);
  }
  return h('div', { class: 'vote-confirm', dataset: { confirm: v.id } }, out);
}
