// views/meeting-console.js — "/meetings/{id}/console": the operator's (and
// the chair's) desk. Start and close the meeting; attendance checks with a
// duration (default 120 s), a countdown and the live count; the current
// agenda item and amendments; the floor queue (grant with a speaking time,
// end; a countdown and a tone near the end — Web Audio, no files); the chat
// with hiding, and the private line to the operator apart; participants
// with their presence; the votes (views/vote-console.js).

import { h } from '../dom.js';
import { setI18n } from '../i18n.js';
import { get, post, del, ApiError } from '../api.js';
import { requireMe } from '../session.js';
import { MeetingLive } from '../meeting-live.js';
import { MeetingVotes } from '../meeting-votes.js';
import { onLangChange } from '../i18n.js';
import { consoleVotes } from './vote-console.js';
import { audioConsolePanel } from './audio-ui.js';
import { protocolLink } from './vote-ui.js';
import {
  field, checkbox, formError, submit, onSubmit, errorText, failedView, signInRequired, uid, roleKey,
} from '../ui.js';
import {
  meetingName, startsText, statusBadge, region, startTicker, quorumBlock, checkEndedKey, speakerBlock, currentItemBlock,
  connectionIndicator, chatList, unlockAudio, beep, confirmAction,
} from './meeting-ui.js';

export const titleKey = 'console.title';

function fill(el, msg) {
  if (msg.key) setI18n(el, msg.key, msg.params);
  else {
    el.removeAttribute('data-i18n');
    el.textContent = msg.text;
  }
}

function panel(key, ...children) {
  const id = uid('con');
  return h('section', { class: 'panel console-panel', 'aria-labelledby': id }, h('h2', { id, i18n: key }), children);
}

export async function render(outlet, { params, path }) {
  const me = await requireMe().catch(() => null);
  if (!me) return signInRequired(path);
  let details;
  try {
    details = await get(`/api/meetings/${encodeURIComponent(params.id)}`);
  } catch (err) {
    return failedView(err);
  }
  if (!details.me.can_conduct) {
    return failedView(new ApiError(403, 'forbidden', ''), 'console.forbidden');
  }
  const id = details.id;
  const base = `/api/meetings/${encodeURIComponent(id)}`;
  const live = new MeetingLive(id, { isStaff: true });
  try {
    await live.load();
  } catch (err) {
    return failedView(err);
  }
  const now = () => live.now();
  const actionError = h('p', { class: 'form-error', role: 'alert', dataset: { actionError: '' } });
  const announcer = h('p', { class: 'visually-hidden', role: 'status' });

  async function act(btn, fn) {
    actionError.replaceChildren();
    if (btn) btn.disabled = true;
    try {
      live.adopt(await fn());
    } catch (err) {
      fill(actionError, errorText(err));
      if (btn && btn.isConnected) btn.disabled = false;
    }
  }
  const button = (key, action, fn, cls = 'btn', params = null) => {
    const b = h('button', { type: 'button', class: cls, dataset: { action, focusKey: action }, i18n: key, i18nParams: params });
    b.addEventListener('click', () => act(b, fn));
    return b;
  };

  // ---- the meeting itself
  const flowRegion = region('div', { class: 'actions', dataset: { region: 'flow' } }, (st) => [st.status], (st) => {
    if (st.status === 'draft' || st.status === 'convened') {
      // Before the meeting's day: ask first (the log records an early start).
      const day = (ms) => new Date(ms).toLocaleDateString('sv');
      if (day(now()) >= day(details.starts_at_ms)) return button('console.start', 'start', () => post(`${base}/start`), 'btn btn-primary');
      const start = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'start', focusKey: 'start' }, i18n: 'console.start' });
      start.addEventListener('click', () => confirmAction(start, { key: 'console.startEarlyConfirm', params: { date: startsText(details) }, yesKey: 'console.startEarlyYes' }, async () => {
        live.adopt(await post(`${base}/start`));
      }));
      return h('div', { class: 'row-actions-inner' }, h('p', { class: 'notice', dataset: { startEarly: '' }, i18n: 'console.startEarlyNotice', i18nParams: { date: startsText(details) } }), start);
    }
    if (st.status === 'in_progress') {
      const close = h('button', { type: 'button', class: 'btn btn-danger-outline', dataset: { action: 'close', focusKey: 'close' }, i18n: 'console.close' });
      const box = h('div', { class: 'row-actions-inner' }, close);
      close.addEventListener('click', () => confirmAction(close, { key: 'console.closeConfirm', yesKey: 'console.closeYes', danger: true }, async () => {
        live.adopt(await post(`${base}/close`));
      }));
      return box;
    }
    return h('p', { class: 'notice', i18n: 'meeting.closedNotice' });
  });
  const statusRegion = region('p', { class: 'meeting-status' }, (st) => [st.status], (st) => statusBadge(st.status));
  // A meeting log past its size budget (log.budget_exceeded): the office is told at once.
  const budgetRegion = region('div', { dataset: { region: 'log-budget' } }, (st) => [!!st.is_log_over_budget],
    (st) => (st.is_log_over_budget ? h('p', { class: 'notice', role: 'alert', i18n: 'console.logOverBudget' }) : null));

  // ---- attendance
  // Shorter than the body's minimum (attendance_min_s, default 120 s) only when the operator says so; the check's event records it.
  const CHECK_MIN_S = details.attendance_min_s || 120;
  const duration = field({ name: 'duration_s', label: 'console.duration', hint: 'console.durationHint', hintParams: { min: CHECK_MIN_S }, type: 'number', value: String(CHECK_MIN_S), attrs: { min: '10', max: '3600', step: '1', inputmode: 'numeric' } });
  const shorter = checkbox({ name: 'override_minimum', label: 'console.overrideMinimum', labelParams: { min: CHECK_MIN_S }, hint: 'console.overrideMinimumHint' });
  const checkForm = h('form', { class: 'form form-inline', novalidate: true, dataset: { form: 'attendance' } },
    formError(), duration.wrap, shorter.wrap, h('div', { class: 'actions' }, submit('console.startCheck', { dataset: { action: 'start-check' } })));
  onSubmit(checkForm, async () => {
    const n = Number.parseInt(duration.input.value, 10);
    if (!Number.isInteger(n) || n < 10 || n > 3600) throw new ApiError(422, 'duration', '', 'duration_s');
    const isOverride = shorter.input.checked;
    if (n < CHECK_MIN_S && !isOverride) throw new ApiError(422, 'tooShort', '', 'duration_s');
    await post(`${base}/attendance-checks`, isOverride && n < CHECK_MIN_S ? { duration_s: n, override_minimum: true } : { duration_s: n });
    shorter.input.checked = false;
    unlockAudio();
  }, { duration: 'console.durationError', tooShort: 'console.durationTooShort', out_of_range: 'console.durationTooShort' });
  const attendanceRegion = region('div', { dataset: { region: 'attendance' } },
    (st) => [st.status, st.attendance.is_check_open, st.attendance.check_id, st.attendance.present_count, st.attendance.has_quorum, st.attendance.ends_at, st.attendance.n_checks],
    (st) => {
      const a = st.attendance;
      const out = [quorumBlock(st, { now })];
      if (a.is_check_open) {
        out.push(h('div', { class: 'actions' }, button('console.endCheck', 'end-check', () => post(`${base}/attendance-checks/${encodeURIComponent(a.check_id)}/end`))));
      }
      return out;
    });
  const checkFormWrap = region('div', {}, (st) => [st.status, st.attendance.is_check_open], (st) => {
    checkForm.hidden = !(st.status === 'in_progress' && !st.attendance.is_check_open);
    return checkForm;
  });

  // ---- current item and amendments
  const currentRegion = region('div', { dataset: { region: 'current' } }, (st) => [st.status, st.agenda, st.current_item], (st) => {
    const out = [currentItemBlock(st, details, { withDocs: true })];
    if (st.status === 'in_progress' && st.agenda.length) {
      const sel = field({ name: 'item_id', label: 'console.itemSelect', tag: 'select', options: [], value: null });
      sel.input.append(...st.agenda.map((it) => {
        const o = h('option', { value: it.id }, `${it.position}. ${it.title}`);
        if (it.id === st.current_item) o.selected = true;
        return o;
      }));
      const form = h('form', { class: 'form form-inline', novalidate: true, dataset: { form: 'current-item' } },
        formError(), sel.wrap, h('div', { class: 'actions' }, submit('console.setItem')));
      onSubmit(form, async () => {
        live.adopt(await post(`${base}/current-item`, { item_id: sel.input.value }));
      });
      out.push(form);
    }
    return out;
  });
  const amendTitle = field({ name: 'title', label: 'agenda.itemTitle', required: true, attrs: { maxlength: '200' } });
  const amendDesc = field({ name: 'description', label: 'agenda.itemDescription', tag: 'textarea', attrs: { rows: '2', maxlength: '4000' } });
  const amendForm = h('form', { class: 'form', novalidate: true, dataset: { form: 'amendment' } },
    formError(), amendTitle.wrap, amendDesc.wrap, h('div', { class: 'actions' }, submit('console.addAmendment')));
  onSubmit(amendForm, async () => {
    if (!amendTitle.input.value.trim()) throw new ApiError(422, 'title', '', 'title');
    await post(`${base}/agenda`, { title: amendTitle.input.value.trim(), description: amendDesc.input.value.trim() });
    amendTitle.input.value = '';
    amendDesc.input.value = '';
  }, { title: 'agenda.titleMissing' });
  const amendWrap = region('details', { class: 'disclosure' }, (st) => [st.status], (st) => {
    if (st.status !== 'in_progress') return [];
    return [h('summary', { i18n: 'console.amendment' }), h('p', { class: 'field-hint', i18n: 'console.amendmentHint' }), amendForm];
  });

  // ---- floor
  const speakTime = field({ name: 'speaking_time_s', label: 'console.speakingTime', type: 'number', value: '180', attrs: { min: '10', max: '3600', step: '1', inputmode: 'numeric' } });
  const sound = checkbox({ name: 'sound', label: 'console.sound', checked: true });
  const speakerRegion = region('div', { dataset: { region: 'speaker' } }, (st) => [st.floor.speaker], (st) => {
    const out = [speakerBlock(st, { now })];
    if (st.floor.speaker) out.push(h('div', { class: 'actions' }, button('console.endFloor', 'end-floor', () => post(`${base}/floor/end`))));
    return out;
  });
  const queueRegion = region('div', { dataset: { region: 'queue' } }, (st) => [st.status, st.floor.queue], (st) => {
    const q = st.floor.queue || [];
    if (!q.length) return h('p', { class: 'muted', i18n: 'floor.queueEmpty' });
    return h('ol', { class: 'queue queue-console', dataset: { list: 'queue' } }, q.map((r) => h('li', { dataset: { requestId: r.request_id } },
      h('span', { class: 'person-name' }, r.name), ' ', h('span', { class: 'badge', i18n: `floor.kind.${r.kind}` }),
      h('div', { class: 'actions' },
        button('console.grant', `grant-${r.request_id}`, () => {
          unlockAudio();
          const n = Number.parseInt(speakTime.input.value, 10);
          return post(`${base}/speakers/${encodeURIComponent(r.request_id)}/grant`, Number.isInteger(n) && n >= 10 ? { speaking_time_s: n } : {});
        }, 'btn btn-primary btn-small', { name: r.name }),
        button('console.removeRequest', `drop-${r.request_id}`, () => del(`${base}/speakers/${encodeURIComponent(r.request_id)}`), 'btn btn-small btn-danger-outline', { name: r.name })))));
  });

  // ---- chat
  const isOp = (m) => m.to === 'operator';
  const isChair = (m) => m.to === 'chair';
  const isPublic = (m) => !isOp(m) && !isChair(m);
  // The chair mutes one person's chat (POST .../chat/mute); the button follows the chat.muted events.
  const mutedIds = (st) => (st.people || []).filter((x) => x.is_chat_muted).map((x) => x.user_id).join(' ');
  const muteButton = (st, m) => {
    const who = (st.people || []).find((x) => x.user_id === m.user_id);
    if (!who || m.user_id === me.user.id) return null;
    const isMuted = !!who.is_chat_muted;
    return button(isMuted ? 'console.unmuteChat' : 'console.muteChat', `mute-${m.message_id}`,
      () => post(`${base}/chat/mute`, { user_id: m.user_id, is_muted: !isMuted }), 'btn btn-small', { name: who.name });
  };
  const chatRegion = region('div', { class: 'chat-box', dataset: { region: 'chat' } }, (st) => [(st.chat || []).filter(isPublic), mutedIds(st)], (st) => chatList((st.chat || []).filter(isPublic), {
    meId: me.user.id,
    actions: (m) => (m.is_hidden ? null : h('div', { class: 'actions' }, button('console.hide', `hide-${m.message_id}`, () => post(`${base}/chat/${encodeURIComponent(m.message_id)}/hide`), 'btn btn-small btn-danger-outline'), muteButton(st, m))),
  }));
  // Questions to the chair, who reads them aloud (eSesja): on the console the chair conducts from.
  const toChairRegion = region('div', { class: 'chat-box', dataset: { region: 'to-chair' } }, (st) => [(st.chat || []).filter(isChair)], (st) => chatList((st.chat || []).filter(isChair), { emptyKey: 'console.noToChair' }));
  const privateRegion = region('div', { class: 'chat-box', dataset: { region: 'private' } }, (st) => [(st.chat || []).filter(isOp)], (st) => chatList((st.chat || []).filter(isOp), { emptyKey: 'console.noPrivate' }));
  const chatText = field({ name: 'text', label: 'chat.messageToAll', tag: 'textarea', required: true, attrs: { rows: '2', maxlength: '2000' } });
  const chatForm = h('form', { class: 'form chat-form', novalidate: true, dataset: { form: 'chat' } }, formError(), chatText.wrap, h('div', { class: 'actions' }, submit('chat.send')));
  onSubmit(chatForm, async () => {
    const v = chatText.input.value.trim();
    if (!v) return;
    await post(`${base}/chat`, { text: v, to: 'all' });
    chatText.input.value = '';
    chatText.input.focus();
  });

  // ---- participants
  const peopleRegion = region('div', { class: 'table-wrap', dataset: { region: 'people' } }, (st) => [st.people], (st) => {
    const people = st.people || [];
    return h('table', { class: 'table stack people-table' },
      h('caption', { i18n: 'console.peopleCaption', i18nParams: { present: people.filter((p) => p.is_present).length, count: people.length } }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', i18n: 'member.name' }), h('th', { scope: 'col', i18n: 'member.role' }), h('th', { scope: 'col', i18n: 'console.presence' }))),
      h('tbody', {}, people.map((p) => h('tr', { dataset: { userId: p.user_id, present: p.is_present ? 'yes' : 'no' } },
        h('th', { scope: 'row', i18nAttr: 'data-label:member.name' }, p.name),
        h('td', { i18nAttr: 'data-label:member.role' }, h('span', { i18n: p.is_guest ? 'meeting.guest' : roleKey(p.role, p.name) }),
          p.is_scrutiny ? [' ', h('span', { class: 'badge', i18n: 'meeting.scrutinyBadge' })] : null),
        h('td', { i18nAttr: 'data-label:console.presence' },
          h('span', { class: p.is_present ? 'pres pres-yes' : 'pres pres-no', i18n: p.is_present ? 'console.present' : 'console.absent' }),
          p.has_checked_in && st.attendance.is_check_open ? [' ', h('span', { class: 'badge', i18n: 'console.checkedIn' })] : null)))));
  });

  // ---- votes
  const mv = new MeetingVotes(live, { meId: me.user.id, detailAll: true });
  try {
    await mv.load();
  } catch (err) {
    return failedView(err);
  }
  const votes = consoleVotes({ live, mv, details, now });
  mv.onChange(() => votes.update());
  const offLang = onLangChange(() => votes.update());

  const protocolRegion = region('div', { dataset: { region: 'protocol' } }, (st) => [st.status], (st) => protocolLink(id, st.status));
  const regions = [protocolRegion, statusRegion, budgetRegion, flowRegion, attendanceRegion, checkFormWrap, currentRegion, amendWrap, speakerRegion, queueRegion, chatRegion, toChairRegion, privateRegion, peopleRegion];
  const update = (st) => {
    regions.forEach((r) => r.update(st));
    votes.update();
  };
  const offChange = live.onChange(update);

  let detailsTimer = null;
  live.onEvent((ev, st) => {
    if (ev.type.startsWith('document.') || ev.type === 'agenda.item_added') {
      clearTimeout(detailsTimer);
      detailsTimer = setTimeout(async () => {
        try {
          details = await get(base);
          currentRegion.update(live.state, true);
        } catch {
          /* keep */
        }
      }, 200);
    }
    if (ev.type === 'chat.message' && (ev.payload.to === 'operator' || ev.payload.to === 'chair')) {
      setI18n(announcer, ev.payload.to === 'chair' ? 'console.toChairAnnounce' : 'console.privateAnnounce', { name: ev.payload.name });
      if (sound.input.checked) beep(1, 660);
    } else if (ev.type === 'floor.requested') setI18n(announcer, 'console.requestAnnounce', { name: ev.payload.name });
    else if (ev.type === 'attendance.ended') setI18n(announcer, checkEndedKey(st));
    else if (ev.type === 'vote.closed') setI18n(announcer, 'vote.closedAnnounce');
  });

  // The tone: twice 15 s before the end of a speech, three times at the end.
  const warned = new Map();
  const onTick = (left, el) => {
    if (!el.closest('[data-region="speaker"]') || !sound.input.checked) return;
    const sp = live.state.floor.speaker;
    if (!sp) return;
    const k = warned.get(sp.request_id) || 0;
    if (left <= 0 && k < 2) {
      warned.set(sp.request_id, 2);
      beep(3, 660);
    } else if (left <= 15000 && left > 0 && k < 1) {
      warned.set(sp.request_id, 1);
      beep(2, 880);
    }
  };
  outlet.addEventListener('click', unlockAudio);

  const conn = connectionIndicator(live);
  const audioPanel = audioConsolePanel(base, { kbps: details.audio_kbps });
  update(live.state);
  live.start();
  mv.start();
  conn.bind();

  const pid = encodeURIComponent(id);
  outlet.append(
    h('div', { class: 'meeting-head' },
      h('p', { class: 'eyebrow' }, details.body ? details.body.name : ''),
      h('h1', {}, h('span', { i18n: 'console.heading' }), h('span', { class: 'h1-sub' }, meetingName(details))),
      h('p', { class: 'meeting-when' }, startsText(details)),
      conn),
    h('nav', { class: 'sub-nav', i18nAttr: 'aria-label:meeting.views' },
      h('ul', { class: 'link-list inline-links' },
        details.me.can_prepare ? h('li', {}, h('a', { href: `/meetings/${pid}`, i18n: 'meeting.toPrep' })) : h('li', {}, h('a', { href: `/meetings/${pid}`, i18n: 'meeting.toMember' })),
        h('li', {}, h('a', { href: `/meetings/${pid}/projector`, i18n: 'meeting.toProjector' })),
        details.is_public ? h('li', {}, h('a', { href: `/meetings/${pid}/public`, i18n: 'meeting.toPublic' })) : null)),
    announcer,
    h('div', { class: 'console-top' }, statusRegion, flowRegion),
    protocolRegion,
    budgetRegion,
    actionError,
    audioPanel.el,
    h('section', { class: 'panel console-panel console-votes', 'aria-labelledby': 'con-votes', dataset: { panel: 'votes' } },
      h('h2', { id: 'con-votes', i18n: 'vote.consoleHeading' }), votes.actionError, votes.current,
      h('h3', { i18n: 'vote.allVotes' }), votes.list, votes.prepare),
    h('div', { class: 'console-grid' },
      panel('attendance.heading', attendanceRegion, checkFormWrap),
      panel('floor.heading', speakerRegion, h('div', { class: 'console-floor-settings' }, speakTime.wrap, sound.wrap), h('h3', { i18n: 'floor.queue' }), queueRegion),
      panel('item.current', currentRegion, amendWrap),
      panel('console.toChair', toChairRegion),
      panel('console.private', privateRegion),
      panel('chat.heading', chatRegion, chatForm),
      panel('console.people', peopleRegion)),
  );
  const stopTicker = startTicker(outlet, now, onTick);
  return () => {
    offChange();
    offLang();
    stopTicker();
    clearTimeout(detailsTimer);
    audioPanel.close();
    mv.close();
    live.close();
  };
}
