// views/meeting-member.js — "/meetings/{id}" for a participant (a member or
// a guest; the chair too): phone first. The vote, when one is open, on top
// (views/vote-member.js: buttons that appear by themselves); the current
// item with its documents; the big "present" button that appears by itself while an
// attendance check runs; leaving and returning; asking to speak (normal, ad
// vocem, formal) and withdrawing; who speaks; the chat (to all or to the
// operator); quorum; the connection indicator. The state is the snapshot
// plus the event stream, so a reload shows the same.

import { h } from '../dom.js';
import { setI18n } from '../i18n.js';
import { get, post, del } from '../api.js';
import { MeetingLive } from '../meeting-live.js';
import { MeetingVotes } from '../meeting-votes.js';
import { onLangChange } from '../i18n.js';
import { memberVotePanel } from './vote-member.js';
import { listenPanel } from './audio-ui.js';
import { protocolLink } from './vote-ui.js';
import { findPerson } from '../meeting-state.js';
import { field, formError, submit, onSubmit, errorText } from '../ui.js';
import {
  meetingName, startsText, statusBadge, region, startTicker, quorumBlock, checkEndedKey, speakerBlock, currentItemBlock, agendaList,
  connectionIndicator, chatList,
} from './meeting-ui.js';
import { trusteeCalls } from './secret-votes.js';

const KINDS = ['normal', 'ad_vocem', 'formal'];

function fill(el, msg) {
  if (msg.key) setI18n(el, msg.key, msg.params);
  else {
    el.removeAttribute('data-i18n');
    el.textContent = msg.text;
  }
}

export async function renderMember(outlet, { details, me }) {
  const id = details.id;
  const mine = details.me;
  const live = new MeetingLive(id, { isStaff: mine.can_conduct || mine.can_prepare });
  await live.load();
  const meId = me.user.id;
  const canAct = mine.is_participant;
  const now = () => live.now();
  const announcer = h('p', { class: 'visually-hidden', role: 'status', dataset: { announce: '' } });
  const actionError = h('p', { class: 'form-error', role: 'alert', dataset: { actionError: '' } });

  /** Runs an action; its answer may be a fresher state; errors show in actionError. */
  async function act(btn, fn) {
    actionError.replaceChildren();
    if (btn) btn.disabled = true;
    try {
      const r = await fn();
      live.adopt(r);
    } catch (err) {
      fill(actionError, errorText(err));
      if (btn && btn.isConnected) btn.disabled = false;
    }
  }

  const base = `/api/meetings/${encodeURIComponent(id)}`;

  const statusRegion = region('div', { class: 'meeting-status' }, (st) => [st.status], (st) => [
    h('p', {}, statusBadge(st.status)),
    st.status === 'closed' ? h('p', { class: 'notice', i18n: 'meeting.closedNotice' }) : null,
    st.status === 'convened' || st.status === 'draft' ? h('p', { class: 'notice', i18n: 'meeting.notStarted' }) : null,
  ]);

  const attendanceRegion = region('div', { class: 'attendance-action', dataset: { region: 'attendance' } }, (st) => {
    const p = findPerson(st, meId);
    return [st.attendance.is_check_open, st.attendance.check_id, p && p.has_checked_in, canAct];
  }, (st) => {
    const a = st.attendance;
    if (!a.is_check_open || !canAct) return [];
    const p = findPerson(st, meId);
    if (p && p.has_checked_in) {
      return h('p', { class: 'present-confirmed', dataset: { present: 'confirmed' } },
        h('span', { 'aria-hidden': 'true' }, '✓ '), h('span', { i18n: 'attendance.confirmed' }));
    }
    const btn = h('button', {
      type: 'button', class: 'btn btn-primary btn-huge', dataset: { action: 'present', focusKey: 'present' }, i18n: 'attendance.present',
    });
    btn.addEventListener('click', () => act(btn, () => post(`${base}/attendance-checks/${encodeURIComponent(a.check_id)}/present`)));
    return [h('p', { class: 'attendance-call', i18n: 'attendance.call' }), btn];
  });

  const quorumRegion = region('div', { dataset: { region: 'quorum' } },
    (st) => [st.status, st.attendance.present_count, st.attendance.has_quorum, st.attendance.is_check_open, st.attendance.ends_at, st.attendance.n_checks],
    (st) => (st.status === 'in_progress' || st.attendance.n_checks ? quorumBlock(st, { now }) : null));

  const presenceRegion = region('div', { class: 'presence', dataset: { region: 'presence' } }, (st) => {
    const p = findPerson(st, meId);
    return [st.status, p && p.is_present, canAct];
  }, (st) => {
    const p = findPerson(st, meId);
    if (st.status !== 'in_progress' || !p || !canAct) return [];
    const btn = h('button', {
      type: 'button', class: 'btn', dataset: { action: p.is_present ? 'leave' : 'return', focusKey: 'presence' },
      i18n: p.is_present ? 'presence.leave' : 'presence.return',
    });
    btn.addEventListener('click', () => act(btn, () => post(`${base}/presence`, { is_present: !p.is_present })));
    return [h('p', { dataset: { myPresence: p.is_present ? 'present' : 'away' }, i18n: p.is_present ? 'presence.here' : 'presence.away' }), btn];
  });

  let details_ = details;
  const currentRegion = region('div', { dataset: { region: 'current' } }, (st) => [st.current_item, st.agenda, details_.agenda],
    (st) => currentItemBlock(st, details_));

  const speakerRegion = region('div', { dataset: { region: 'speaker' } }, (st) => [st.floor.speaker], (st) => speakerBlock(st, { now }));

  const floorRegion = region('div', { class: 'floor', dataset: { region: 'floor' } }, (st) => [st.status, st.floor.queue, canAct], (st) => {
    const queue = st.floor.queue || [];
    const out = [];
    const my = queue.find((r) => r.user_id === meId);
    if (st.status === 'in_progress' && canAct) {
      if (my) {
        out.push(h('p', { class: 'my-request', dataset: { myRequest: my.kind } },
          h('span', { i18n: 'floor.myRequest', i18nParams: { position: queue.indexOf(my) + 1 } }), ' ',
          h('span', { class: 'badge', i18n: `floor.kind.${my.kind}` })));
        const w = h('button', { type: 'button', class: 'btn btn-danger-outline', dataset: { action: 'withdraw', focusKey: 'withdraw' }, i18n: 'floor.withdraw' });
        w.addEventListener('click', () => act(w, () => del(`${base}/speakers/${encodeURIComponent(my.request_id)}`)));
        out.push(h('div', { class: 'actions' }, w));
      } else {
        out.push(h('div', { class: 'actions floor-actions' }, KINDS.map((k) => {
          const b = h('button', { type: 'button', class: k === 'normal' ? 'btn btn-primary btn-big' : 'btn btn-big', dataset: { action: `ask-${k}`, focusKey: `ask-${k}` }, i18n: `floor.ask.${k}` });
          b.addEventListener('click', () => act(b, () => post(`${base}/speakers`, { kind: k })));
          return b;
        })));
      }
    }
    if (queue.length) {
      out.push(h('h3', { i18n: 'floor.queue' }),
        h('ol', { class: 'queue', dataset: { list: 'queue' } }, queue.map((r) => h('li', { dataset: { requestId: r.request_id } },
          r.name, r.kind !== 'normal' ? [' ', h('span', { class: 'badge', i18n: `floor.kind.${r.kind}` })] : null))));
    } else if (st.status === 'in_progress') {
      out.push(h('p', { class: 'muted', i18n: 'floor.queueEmpty' }));
    }
    return out;
  });

  const chatRegion = region('div', { class: 'chat-box', dataset: { region: 'chat' } }, (st) => [st.chat], (st) => chatList(st.chat || [], { meId }));

  const text = field({ name: 'text', label: 'chat.message', tag: 'textarea', required: true, attrs: { rows: '2', maxlength: '2000', class: 'chat-input' } });
  const to = field({ name: 'to', label: 'chat.to', tag: 'select', options: [['all', 'chat.toAll'], ['chair', 'chat.toChair'], ['operator', 'chat.toOperator']], value: 'all' });
  const chatForm = h('form', { class: 'form chat-form', novalidate: true, dataset: { form: 'chat' } },
    formError(), text.wrap, to.wrap, h('div', { class: 'actions' }, submit('chat.send')));
  onSubmit(chatForm, async () => {
    const value = text.input.value.trim();
    if (!value) return;
    const target = to.input.value;
    const r = await post(`${base}/chat`, { text: value, to: target });
    text.input.value = '';
    // A message to the operator or the chair comes back on the staff's stream only.
    if (target !== 'all' && r && r.message_id) {
      live.addOwnMessage({ message_id: r.message_id, user_id: meId, name: me.user.name, text: value, to: target, ts: live.now() });
    }
    text.input.focus();
  });

  const agendaRegion = region('div', { dataset: { region: 'agenda' } }, (st) => [st.agenda, st.current_item, details_.agenda], (st) => agendaList(st, details_));

  const conn = connectionIndicator(live);
  // The live audio; the external video link is in the help region at the top.
  const listen = listenPanel(id, { live });
  // Near the top while the meeting is not over: the broadcast and the
  // office's phone (the eSesja scenario: members call the office in a session).
  const helpRegion = region('div', { class: 'meeting-help', dataset: { region: 'help' } },
    (st) => [st.status, details_.broadcast_url, details_.help_phone_shown], (st) => {
      if (st.status === 'closed' || st.status === 'archived') return [];
      const phone = details_.help_phone_shown;
      return [
        details_.broadcast_url ? h('a', { href: details_.broadcast_url, rel: 'noopener noreferrer', target: '_blank', class: 'btn btn-broadcast', dataset: { link: 'broadcast' }, i18n: 'meeting.broadcast' }) : null,
        phone ? h('p', { class: 'help-phone', dataset: { helpPhone: '' } }, h('span', { i18n: 'meeting.helpPhone' }), ' ',
          h('a', { href: `tel:${phone.replace(/[^0-9+]/g, '')}` }, phone)) : null,
      ];
    });

  // The protocol once the meeting runs (a draft until it closes).
  const protocolRegion = region('div', { dataset: { region: 'protocol' } }, (st) => [st.status],
    (st) => (st.status === 'in_progress' || st.status === 'closed' ? protocolLink(id, st.status) : null));
  const regions = [helpRegion, protocolRegion, statusRegion, attendanceRegion, quorumRegion, presenceRegion, currentRegion, speakerRegion, floorRegion, chatRegion, agendaRegion];
  const update = (st) => regions.forEach((r) => r.update(st));

  let detailsTimer = null;
  const refreshDetails = () => {
    clearTimeout(detailsTimer);
    detailsTimer = setTimeout(async () => {
      try {
        details_ = await get(base);
        update(live.state);
      } catch {
        /* keep what we have */
      }
    }, 200);
  };

  // The votes are read after the page shows (not to delay it); events that
  // arrive meanwhile are applied over the answer. Without the list the
  // stream still brings the next vote, and a reconnect reads them again.
  const mv = new MeetingVotes(live, { meId });
  const votePanel = memberVotePanel({ live, mv, meId, getDetails: () => details_, canAct, now });
  mv.onChange(() => votePanel.update());
  const offLang = onLangChange(() => votePanel.update());

  const offChange = live.onChange((st) => {
    update(st);
    votePanel.update();
  });
  live.onEvent((ev, st) => {
    if (ev.type.startsWith('document.') || ev.type === 'agenda.item_added') refreshDetails();
    if (ev.type === 'attendance.started') setI18n(announcer, 'attendance.startedAnnounce');
    else if (ev.type === 'attendance.ended') setI18n(announcer, checkEndedKey(st));
    else if (ev.type === 'floor.granted') {
      if (ev.payload.user_id === meId) setI18n(announcer, 'floor.grantedYou');
      else setI18n(announcer, 'floor.grantedTo', { name: ev.payload.name });
    } else if (ev.type === 'meeting.closed') setI18n(announcer, 'meeting.closedNotice');
    else if (ev.type === 'vote.opened') setI18n(announcer, 'vote.openedAnnounce', { title: ev.payload.title || '' });
    else if (ev.type === 'vote.closed') setI18n(announcer, 'vote.closedAnnounce');
  });
  update(live.state);
  votePanel.update();
  live.start();
  mv.start();
  mv.load().catch(() => null);
  conn.bind();
  const secretVotes = trusteeCalls(live).start();
  secretVotes.load().catch(() => {});

  const consoleLink = mine.can_conduct
    ? h('p', {}, h('a', { class: 'btn', href: `/meetings/${encodeURIComponent(id)}/console`, i18n: 'meeting.toConsole' }))
    : null;

  const nodes = [
    h('div', { class: 'meeting-head' },
      h('p', { class: 'eyebrow' }, details.body ? details.body.name : ''),
      h('h1', {}, meetingName(details)),
      h('p', { class: 'meeting-when' }, startsText(details), details.place ? ` · ${details.place}` : ''),
      conn),
    helpRegion,
    announcer,
    statusRegion,
    consoleLink,
    protocolRegion,
    actionError,
    votePanel.el,
    secretVotes.el,
    // Below the actions: "Jestem obecny" and the vote buttons stay on a phone's first screen.
    listen.el,
    h('section', { class: 'panel panel-attendance', 'aria-labelledby': 'mv-att' },
      h('h2', { id: 'mv-att', i18n: 'attendance.heading' }), attendanceRegion, quorumRegion, presenceRegion),
    h('section', { class: 'panel', 'aria-labelledby': 'mv-cur' }, h('h2', { id: 'mv-cur', i18n: 'item.current' }), currentRegion),
    h('section', { class: 'panel', 'aria-labelledby': 'mv-floor' }, h('h2', { id: 'mv-floor', i18n: 'floor.heading' }), speakerRegion, floorRegion),
    h('section', { class: 'panel', 'aria-labelledby': 'mv-chat' }, h('h2', { id: 'mv-chat', i18n: 'chat.heading' }), chatRegion, canAct ? chatForm : null),
    h('section', { class: 'panel', 'aria-labelledby': 'mv-agenda' }, h('h2', { id: 'mv-agenda', i18n: 'agenda.heading' }), agendaRegion),
  ];
  outlet.append(...nodes.filter(Boolean));
  const stopTicker = startTicker(outlet, now);
  return () => {
    offChange();
    offLang();
    stopTicker();
    clearTimeout(detailsTimer);
    secretVotes.close();
    listen.close();
    votePanel.close();
    mv.close();
    live.close();
  };
}
