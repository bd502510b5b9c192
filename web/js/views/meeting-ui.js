// views/meeting-ui.js — parts shared by the meeting views (preparation,
// console, member, projector, public): titles, status and mode labels,
// regions that re-render only when their slice of the state changes (and
// keep keyboard focus), countdowns, the quorum line, the speaker, the
// agenda with documents, the connection indicator and the audible warning.

import { h } from '../dom.js';
import { setI18n, formatDateTime, getLang, applyTranslations } from '../i18n.js';
import { currentItem } from '../meeting-state.js';

/** "Sesja (nr XXVI)" or the bare title. */
export function meetingName(m) {
  return m.number ? `${m.title} (${m.number})` : m.title;
}

/** The meeting's start, in the viewer's language. */
export function startsText(m) {
  const ms = m.starts_at_ms ?? Date.parse(m.starts_at);
  return Number.isFinite(ms) ? formatDateTime(ms, { dateStyle: 'full', timeStyle: 'short' }) : '';
}

export function statusBadge(status) {
  return h('span', { class: `badge badge-status status-${status}`, dataset: { status }, i18n: `meeting.status.${status}` });
}

/** mm:ss of a number of milliseconds (never negative). */
export function clock(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * A region of a view: render(st) fills it again only when key(st) changed.
 * Keyboard focus on an element with data-focus-key inside survives.
 */
export function region(tag, attrs, key, render) {
  const el = h(tag, attrs);
  let last = null;
  el.update = (st, force = false) => {
    const k = JSON.stringify(key(st));
    if (!force && k === last) return;
    last = k;
    const active = document.activeElement;
    const focusKey = active && el.contains(active) ? active.dataset.focusKey : null;
    const nodes = render(st);
    el.replaceChildren(...[].concat(nodes).filter(Boolean));
    // Chats show their newest message.
    for (const list of el.querySelectorAll('.chat-list')) list.scrollTop = list.scrollHeight;
    if (focusKey) el.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
  };
  return el;
}

/**
 * Updates every [data-ends-at] countdown in root four times a second; calls
 * onTick(remainingMs, el) for each. Returns a stop function.
 */
export function startTicker(root, now, onTick = null) {
  const tick = () => {
    for (const el of root.querySelectorAll('[data-ends-at]')) {
      const left = Number(el.dataset.endsAt) - now();
      const text = clock(left);
      if (el.textContent !== text) el.textContent = text;
      el.classList.toggle('ending', left <= 15000);
      if (onTick) onTick(left, el);
    }
  };
  tick();
  const timer = setInterval(tick, 250);
  return () => clearInterval(timer);
}

/** A countdown element (role timer: read on demand, not announced every second). */
export function countdown(endsAt, now = Date.now) {
  return h('span', { class: 'countdown', role: 'timer', dataset: { endsAt: String(endsAt) } }, clock(endsAt - now()));
}

/** The attendance and quorum block: counts, quorum status, running check.
 *  A body whose rule is "none" is told that no quorum is required (not
 *  "quorum present, required: 0"); the present count stays. */
export function quorumBlock(st, { big = false, now = Date.now } = {}) {
  const a = st.attendance;
  const ok = a.has_quorum;
  const isFree = a.quorum_rule === 'none';
  const state = isFree
    ? h('p', { class: 'quorum-state quorum-free', dataset: { quorum: 'not-required' } }, h('span', { i18n: 'quorum.notRequired' }))
    : h('p', { class: `quorum-state ${ok ? 'quorum-ok' : 'quorum-no'}`, dataset: { quorum: ok ? 'yes' : 'no' } },
      h('span', { class: 'quorum-icon', 'aria-hidden': 'true' }, ok ? '✓' : '✗'), ' ',
      h('span', { i18n: ok ? 'quorum.yes' : 'quorum.no' }));
  const nodes = [
    state,
    h('p', { class: 'quorum-count', dataset: { present: String(a.present_count) } },
      isFree
        ? h('span', { i18n: 'quorum.countPresent', i18nParams: { present: a.present_count, size: a.statutory_size } })
        : h('span', { i18n: 'quorum.count', i18nParams: { present: a.present_count, size: a.statutory_size, required: a.required } })),
  ];
  if (a.is_check_open && a.ends_at) {
    nodes.push(h('p', { class: 'check-running' },
      h('span', { i18n: 'attendance.running' }), ' ', countdown(a.ends_at, now)));
  } else if (!a.n_checks && st.status === 'in_progress') {
    nodes.push(h('p', { class: 'muted', i18n: 'attendance.none' }));
  }
  return h('div', { class: `quorum${big ? ' quorum-big' : ''}` }, nodes);
}

/** What a screen reader hears when an attendance check ends. */
export function checkEndedKey(st) {
  if (st.attendance.quorum_rule === 'none') return 'attendance.endedNoRule';
  return st.attendance.has_quorum ? 'attendance.endedQuorum' : 'attendance.endedNoQuorum';
}

/** Who has the floor, with the time left; or that nobody does. */
export function speakerBlock(st, { now = Date.now } = {}) {
  const s = st.floor.speaker;
  if (!s) return h('p', { class: 'speaker speaker-none', i18n: 'floor.nobody' });
  return h('div', { class: 'speaker', dataset: { speaker: s.name } },
    h('p', { class: 'speaker-label', i18n: 'floor.speaking' }),
    h('p', { class: 'speaker-name' }, s.name,
      s.kind && s.kind !== 'normal' ? [' ', h('span', { class: 'badge', i18n: `floor.kind.${s.kind}` })] : null),
    s.ends_at ? h('p', { class: 'speaker-time' }, h('span', { i18n: 'floor.timeLeft' }), ' ', countdown(s.ends_at, now)) : null);
}

/** The current agenda item (title, description, its documents from details). */
export function currentItemBlock(st, details, { headingLevel = 3, withDocs = true } = {}) {
  const it = currentItem(st);
  if (!it) return h('p', { class: 'muted', i18n: 'item.none' });
  const docs = withDocs ? documentsOf(details, it.id) : [];
  return h('div', { class: 'current-item', dataset: { itemId: it.id } },
    h(`h${headingLevel}`, { class: 'current-item-title' },
      h('span', { class: 'item-pos' }, `${it.position}. `), it.title,
      it.is_amendment ? [' ', h('span', { class: 'badge', i18n: 'agenda.amendment' })] : null),
    it.description ? h('p', { class: 'item-desc' }, it.description) : null,
    docs.length ? documentList(docs) : null);
}

/** The documents of item id in the meeting's details (GET /api/meetings/{id}). */
export function documentsOf(details, itemId) {
  const it = details && details.agenda ? details.agenda.find((x) => x.id === itemId) : null;
  return it ? it.documents || [] : [];
}

function sizeText(n) {
  const lang = getLang();
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }).format(n / 1024)} kB`;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(n / 1024 / 1024)} MB`;
}

/** A list of download links; extra(doc) may add controls per document. */
export function documentList(docs, extra = null) {
  return h('ul', { class: 'docs', dataset: { list: 'documents' } }, docs.map((d) => h('li', { dataset: { documentId: d.id } },
    h('a', { href: `/api/documents/${encodeURIComponent(d.id)}`, download: d.filename, class: 'doc-link' }, d.filename),
    ' ', h('span', { class: 'muted' }, `(${sizeText(d.size_bytes)})`),
    d.is_draft_resolution ? [' ', h('span', { class: 'badge', i18n: 'docs.draftResolution' })] : null,
    extra ? extra(d) : null)));
}

/** The whole agenda, the current item marked. */
export function agendaList(st, details = null) {
  if (!st.agenda.length) return h('p', { class: 'muted', i18n: 'agenda.empty' });
  return h('ol', { class: 'agenda', dataset: { list: 'agenda' } }, st.agenda.map((it) => {
    const isCurrent = it.id === st.current_item;
    const docs = details ? documentsOf(details, it.id) : [];
    return h('li', { class: isCurrent ? 'agenda-item is-current' : 'agenda-item', 'aria-current': isCurrent ? 'true' : null, dataset: { itemId: it.id } },
      h('span', { class: 'agenda-title' }, it.title),
      isCurrent ? [' ', h('span', { class: 'badge badge-current', i18n: 'agenda.current' })] : null,
      it.is_amendment ? [' ', h('span', { class: 'badge', i18n: 'agenda.amendment' })] : null,
      it.description ? h('p', { class: 'item-desc' }, it.description) : null,
      docs.length ? documentList(docs) : null,
      details && INTERP_ITEM.test(it.title) ? sessionInterpellations(details.id) : null);
  }));
}

/** The agenda item that takes up members' interpellations and questions. */
const INTERP_ITEM = /interpelac|interpellation/i;

/** What arrived since the body's previous session (GET /api/meetings/{id}/interpellations),
 *  filled in when it comes; nothing shown when there is none or it fails. */
function sessionInterpellations(meetingId) {
  const box = h('div', { class: 'session-interp', dataset: { sessionInterpellations: '' } });
  fetch(`/api/meetings/${encodeURIComponent(meetingId)}/interpellations`, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : null))
    .then((j) => {
      if (!j || !j.interpellations.length) return;
      box.replaceChildren(
        h('p', { class: 'item-desc', i18n: 'interp.sinceLast', i18nParams: { count: j.interpellations.length } }),
        h('ul', {}, j.interpellations.map((x) => h('li', { dataset: { interpellationId: x.id } },
          `${x.number} — `, h('span', { i18n: `interp.kind.${x.kind}` }), `: ${x.subject} (${x.author.name})`))));
    })
    .catch(() => {});
  return box;
}

const CONN = { open: 'live.connected', connecting: 'live.connecting', offline: 'live.offline' };
const CONN_STATE = { open: 'connected', connecting: 'connecting', offline: 'offline' };

/** The meeting stream's connection indicator (same look as the header's). */
export function connectionIndicator(live) {
  const text = h('span', { class: 'live-text' });
  const el = h('p', { class: 'live live-meeting', role: 'status', dataset: { state: 'connecting', conn: '' } },
    h('span', { class: 'live-icon', 'aria-hidden': 'true' }),
    h('span', { class: 'visually-hidden', i18n: 'meeting.connection' }), h('span', { class: 'visually-hidden' }, ': '),
    text);
  setI18n(text, 'live.connecting');
  el.bind = () => live.onState((s) => {
    el.dataset.state = CONN_STATE[s] || 'offline';
    setI18n(text, CONN[s] || 'live.offline');
  });
  return el;
}

/** A short tone (Web Audio, no files); count beeps. Silent when audio is not allowed yet. */
let audioCtx = null;
export function unlockAudio() {
  try {
    const AC = window.AudioContext || window.webkitAudioContext;
    if (!AC) return;
    if (!audioCtx) audioCtx = new AC();
    if (audioCtx.state === 'suspended') audioCtx.resume().catch(() => {});
  } catch {
    audioCtx = null;
  }
}

export function beep(count = 1, freq = 880) {
  if (!audioCtx || audioCtx.state !== 'running') return;
  const t0 = audioCtx.currentTime;
  for (let i = 0; i < count; i++) {
    const osc = audioCtx.createOscillator();
    const gain = audioCtx.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    const start = t0 + i * 0.35;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.3, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.25);
    osc.connect(gain).connect(audioCtx.destination);
    osc.start(start);
    osc.stop(start + 0.3);
  }
}

/** The chat messages (newest last); actions(m) may add controls. */
export function chatList(messages, { meId = null, actions = null, emptyKey = 'chat.empty' } = {}) {
  if (!messages.length) return h('p', { class: 'muted', i18n: emptyKey });
  // Scrollable, so focusable: keyboard users can scroll it too.
  return h('ol', { class: 'chat-list', tabindex: '0', i18nAttr: 'aria-label:chat.heading', dataset: { list: 'chat' } }, messages.map((m) => h('li', {
    class: `chat-msg${m.to === 'operator' || m.to === 'chair' ? ' chat-private' : ''}${m.is_hidden ? ' chat-hidden' : ''}${m.user_id === meId ? ' chat-mine' : ''}`,
    dataset: { messageId: m.message_id },
  },
  h('p', { class: 'chat-meta' },
    h('span', { class: 'chat-name' }, m.name || '—'),
    m.ts ? [' ', h('time', { datetime: new Date(m.ts).toISOString() }, formatDateTime(m.ts, { timeStyle: 'short' }))] : null,
    m.to === 'operator' ? [' ', h('span', { class: 'badge', i18n: 'chat.toOperatorBadge' })] : null,
    m.to === 'chair' ? [' ', h('span', { class: 'badge', dataset: { to: 'chair' }, i18n: 'chat.toChairBadge' })] : null,
    m.is_hidden ? [' ', h('span', { class: 'badge', i18n: 'chat.hiddenBadge' })] : null),
  h('p', { class: 'chat-text' }, m.text),
  actions ? actions(m) : null)));
}

/**
 * Replaces trigger with a question and yes/cancel buttons (yesKey: the
 * confirming button's i18n key); runs action on yes. An error stays next to
 * the buttons; cancel puts the trigger back and focuses it.
 */
export function confirmAction(trigger, { key, params = null, yesKey = 'common.confirm', danger = false }, action) {
  const box = h('span', { class: 'confirm', role: 'group', i18nAttr: `aria-label:${key}`, i18nParams: params });
  const q = h('span', { class: 'confirm-question', i18n: key, i18nParams: params });
  const err = h('span', { class: 'field-error', role: 'alert' });
  const yes = h('button', { type: 'button', class: `btn btn-small ${danger ? 'btn-danger' : 'btn-primary'}`, dataset: { action: 'confirm' }, i18n: yesKey });
  const no = h('button', { type: 'button', class: 'btn btn-small', i18n: 'common.cancel' });
  box.append(q, ' ', yes, ' ', no, err);
  trigger.replaceWith(box);
  yes.focus();
  no.addEventListener('click', () => {
    applyTranslations(trigger); // the language may have changed while it was away
    box.replaceWith(trigger);
    trigger.focus();
  });
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    no.disabled = true;
    try {
      await action();
    } catch (e) {
      yes.disabled = false;
      no.disabled = false;
      err.textContent = e && e.message ? e.message : '';
    }
  });
}
