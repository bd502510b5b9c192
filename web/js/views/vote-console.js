// views/vote-console.js — the votes on the operator's and chair's console:
// prepare a vote (motion or election; rule, time, changes allowed, early
// close, electorate: a group, guests, exclusions), open it, watch the count
// and — for open (named) votes — who voted how, live; extend it (+1 / +5
// min) or close it; read the result with the rule in words; repeat a closed
// vote ("reasumpcja") with a reason, as a new vote linked to the old one.

import { h } from '../dom.js';
import { setI18n, getLang } from '../i18n.js';
import { get, post, ApiError } from '../api.js';
import { allVotes } from '../vote-state.js';
import {
  field, checkbox, formError, submit, onSubmit, errorText, uid, statusLine,
} from '../ui.js';
import { region, confirmAction } from './meeting-ui.js';
import {
  voteHead, liveBlock, resultBlock, namedList, voteStatusBadge, outcomeBadge, voteNumber, reportLink,
} from './vote-ui.js';
import { secretFields } from '../secret-console.js';
import { confirmBlock } from './vote-confirm.js';

const WEIGHTED_MAJORITIES = ['shares_cast', 'shares_all'];
const MAJORITIES = ['simple', 'absolute', 'absolute_statutory', 'two_thirds', 'three_fifths', 'two_thirds_statutory', 'three_fifths_statutory', 'four_fifths_statutory'];
const RULES = ['most_votes', 'absolute_majority'];
const EXTENDS = [60, 300];

function fill(el, msg) {
  if (msg.key) setI18n(el, msg.key, msg.params);
  else {
    el.removeAttribute('data-i18n');
    el.textContent = msg.text;
  }
}

/** Non-empty trimmed lines of a text. */
const lines = (text) => String(text || '').split('\n').map((s) => s.trim()).filter(Boolean);

/**
 * The votes panel's parts: {prepare, current, list, update(), close()}.
 * live: the MeetingLive; mv: the MeetingVotes (detailAll); details: the meeting.
 */
export function consoleVotes({ live, mv, details, now }) {
  const base = `/api/meetings/${encodeURIComponent(details.id)}`;
  const actionError = h('p', { class: 'form-error', role: 'alert', dataset: { voteError: '' } });
  const vpath = (v, action) => `/api/votes/${encodeURIComponent(v.id)}/${action}`;

  async function act(btn, fn) {
    actionError.replaceChildren();
    if (btn) btn.disabled = true;
    try {
      mv.adopt(await fn());
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

  // ---- prepare
  const title = field({ name: 'title', label: 'vote.titleField', required: true, attrs: { maxlength: '800' } });
  const motion = field({ name: 'motion', label: 'vote.motionField', hint: 'vote.motionHint', tag: 'textarea', attrs: { rows: '3', maxlength: '8000' } });
  const item = field({ name: 'item_id', label: 'vote.itemField', tag: 'select', options: [['', 'vote.noItem']] });
  const method = field({ name: 'method', label: 'vote.methodField', tag: 'select', options: [['yes_no_abstain', 'vote.method.yes_no_abstain'], ['election', 'vote.method.election']], value: 'yes_no_abstain' });
  // A body with weights (shares) also offers the majorities decided on weights.
  const majorities = details.body && details.body.uses_weights ? [...MAJORITIES, ...WEIGHTED_MAJORITIES] : MAJORITIES;
  const majority = field({ name: 'majority', label: 'vote.majorityField', tag: 'select', options: majorities.map((m) => [m, `vote.majority.${m}`]), value: 'simple' });
  const candidates = field({ name: 'candidates', label: 'vote.candidatesField', hint: 'vote.candidatesHint', tag: 'textarea', attrs: { rows: '4', maxlength: '13000' } });
  const seats = field({ name: 'seats', label: 'vote.seatsField', type: 'number', value: '1', attrs: { min: '1', max: '64', step: '1', inputmode: 'numeric' } });
  const rule = field({ name: 'election_rule', label: 'vote.electionRuleField', tag: 'select', options: RULES.map((r) => [r, `vote.electionRule.${r}`]), value: 'most_votes' });
  const dflt = details.body && details.body.vote_duration_s > 0 ? details.body.vote_duration_s : 600;
  const duration = field({ name: 'duration_s', label: 'vote.durationField', hint: 'vote.durationHint', type: 'number', value: String(dflt), attrs: { min: '1', max: '86400', step: '1', inputmode: 'numeric' } });
  const allowChange = checkbox({ name: 'allow_change', label: 'vote.allowChange' });
  const secretF = secretFields();
  const earlyClose = checkbox({ name: 'early_close', label: 'vote.earlyClose', hint: 'vote.earlyCloseHint' });
  const groupsId = uid('groups');
  const group = field({ name: 'group', label: 'vote.groupField', hint: 'vote.groupHint', attrs: { maxlength: '40', pattern: '[a-z0-9_-]{1,40}', autocomplete: 'off', list: groupsId } });
  // The body's groups as suggestions (from its member list, when the viewer may read it).
  const groupsList = h('datalist', { id: groupsId });
  group.wrap.append(groupsList);
  if (details.body && details.body.id) {
    get(`/api/bodies/${encodeURIComponent(details.body.id)}/members`).then((r) => {
      const groups = new Set();
      for (const mem of (r && r.members) || []) for (const g of mem.groups || []) groups.add(g);
      groupsList.replaceChildren(...[...groups].sort().map((g) => h('option', { value: g })));
    }, () => { /* no suggestions */ });
  }
  const electionBox = h('div', { class: 'election-fields', dataset: { fields: 'election' } }, candidates.wrap, seats.wrap, rule.wrap);
  const syncMethod = () => {
    const isElection = method.input.value === 'election';
    electionBox.hidden = !isElection;
    majority.wrap.hidden = isElection;
  };
  method.input.addEventListener('change', syncMethod);
  syncMethod();

  const chosen = { guests: new Set(), exclude: new Set() };
  const peopleChecks = (kind, people) => {
    if (!people.length) return h('p', { class: 'muted', i18n: kind === 'guests' ? 'vote.noGuests' : 'vote.noMembers' });
    return h('ul', { class: 'check-list', dataset: { list: kind } }, people.map((p) => {
      const id = uid(kind);
      const input = h('input', { type: 'checkbox', id, value: p.user_id, dataset: { userId: p.user_id } });
      input.checked = chosen[kind].has(p.user_id);
      input.addEventListener('change', () => {
        if (input.checked) chosen[kind].add(p.user_id);
        else chosen[kind].delete(p.user_id);
      });
      return h('li', { class: 'check' }, input, h('label', { for: id }, p.name));
    }));
  };
  const electorateR = region('div', { dataset: { region: 'electorate' } },
    (st) => [(st.people || []).map((p) => [p.user_id, p.name, !!p.is_guest, p.is_member !== false])],
    (st) => {
      const people = st.people || [];
      return [
        h('fieldset', { class: 'fieldset' }, h('legend', { i18n: 'vote.guestsField' }), peopleChecks('guests', people.filter((p) => p.is_guest))),
        h('fieldset', { class: 'fieldset' }, h('legend', { i18n: 'vote.excludeField' }), h('p', { class: 'field-hint', i18n: 'vote.excludeHint' }),
          peopleChecks('exclude', people.filter((p) => p.is_member !== false && !p.is_guest))),
      ];
    });
  // The item follows the meeting's current item until the user picks another
  // one in the form; after a vote is prepared it follows again.
  let followCurrent = true;
  item.input.addEventListener('change', () => {
    followCurrent = item.input.value === (live.state.current_item || '');
  });
  const itemsR = region('span', {}, (st) => [st.agenda, st.current_item], (st) => {
    const keep = item.input.value;
    item.input.replaceChildren(h('option', { value: '', i18n: 'vote.noItem' }),
      ...st.agenda.map((it) => h('option', { value: it.id }, `${it.position}. ${it.title}`)));
    const kept = !followCurrent && (keep === '' || st.agenda.some((it) => it.id === keep));
    item.input.value = kept ? keep : st.current_item || '';
    if (!kept) followCurrent = true;
    return [];
  });

  const form = h('form', { class: 'form', novalidate: true, dataset: { form: 'new-vote' } },
    formError(), title.wrap, motion.wrap, item.wrap, method.wrap, majority.wrap, electionBox, secretF.wrap, duration.wrap,
    allowChange.wrap, earlyClose.wrap,
    h('fieldset', { class: 'fieldset' }, h('legend', { i18n: 'vote.electorateField' }), h('p', { class: 'field-hint', i18n: 'vote.electorateHint' }), group.wrap, electorateR),
    h('div', { class: 'actions' }, submit('vote.create', { dataset: { action: 'create-vote' } })), itemsR);
  onSubmit(form, async () => {
    const body = { title: title.input.value.trim(), motion: motion.input.value.trim(), kind: 'open', method: method.input.value };
    if (!body.title) throw new ApiError(422, 'title', '', 'title');
    if (item.input.value) body.item_id = item.input.value;
    const d = Number.parseInt(duration.input.value, 10);
    if (!Number.isInteger(d) || d < 1 || d > 86400) throw new ApiError(422, 'duration', '', 'duration_s');
    body.duration_s = d;
    body.allow_change = allowChange.input.checked;
    body.early_close = earlyClose.input.checked;
    secretF.apply(body);
    if (body.method === 'election') {
      body.candidates = lines(candidates.input.value);
      if (body.candidates.length < 1) throw new ApiError(422, 'candidates', '', 'candidates');
      const k = Number.parseInt(seats.input.value, 10);
      if (!Number.isInteger(k) || k < 1 || k > body.candidates.length) throw new ApiError(422, 'seats', '', 'seats');
      body.seats = k;
      body.election_rule = rule.input.value;
    } else body.majority = majority.input.value;
    const electorate = {};
    const g = group.input.value.trim().toLowerCase();
    if (g) electorate.group = g;
    const people = new Set((live.state.people || []).map((p) => p.user_id));
    const guests = [...chosen.guests].filter((x) => people.has(x));
    const exclude = [...chosen.exclude].filter((x) => people.has(x));
    if (guests.length) electorate.guests = guests;
    if (exclude.length) electorate.exclude = exclude;
    if (Object.keys(electorate).length) body.electorate = electorate;
    mv.adopt(await post(`${base}/votes`, body));
    followCurrent = true;
    itemsR.update(live.state, true);
    title.input.value = '';
    motion.input.value = '';
    candidates.input.value = '';
    chosen.guests.clear();
    chosen.exclude.clear();
    electorateR.update(live.state, true);
  }, { title: 'vote.titleMissing', duration: 'vote.durationError', candidates: 'vote.candidatesError', seats: 'vote.seatsError' });

  const prepare = h('details', { class: 'disclosure', dataset: { disclosure: 'new-vote' } },
    h('summary', { i18n: 'vote.prepare' }), form);

  // ---- roll-call by hand (devices failed): the chair enters answers by name
  const handForm = (v) => {
    if (v.kind === 'secret' || v.method === 'election') return null;
    const who = field({ name: 'user_id', label: 'vote.handMember', tag: 'select', options: [['', 'vote.handMemberPick']] });
    who.input.append(...(v.named || []).map((r) => h('option', { value: r.user_id }, r.name || r.user_id)));
    const choice = field({ name: 'choice', label: 'vote.handChoice', tag: 'select',
      options: [['yes', 'vote.choice.yes'], ['no', 'vote.choice.no'], ['abstain', 'vote.choice.abstain']], value: 'yes' });
    const reason = field({ name: 'reason', label: 'vote.handReason', hint: 'vote.handReasonHint', tag: 'textarea', attrs: { rows: '2', maxlength: '2000' } });
    const done = statusLine();
    const f = h('form', { class: 'form', novalidate: true, dataset: { form: 'hand', voteId: v.id } },
      h('p', { class: 'field-hint', i18n: 'vote.handHint' }), formError(), who.wrap, choice.wrap, reason.wrap,
      h('div', { class: 'actions' }, submit('vote.handSubmit', { dataset: { action: `hand-${v.id}` } })), done);
    onSubmit(f, async () => {
      done.replaceChildren();
      if (!who.input.value) throw new ApiError(422, 'user_id', '', 'user_id');
      const body = { user_id: who.input.value, choice: choice.input.value };
      const r = reason.input.value.trim();
      if (r) body.reason = r;
      mv.adopt(await post(vpath(v, 'hand'), body));
      reason.input.value = '';
      setI18n(done, 'vote.handDone');
    }, { user_id: 'vote.handMemberMissing' });
    return h('details', { class: 'disclosure', dataset: { disclosure: `hand-${v.id}` } }, h('summary', { i18n: 'vote.handHeading' }), f);
  };

  // ---- the open votes, live
  const open = () => allVotes(mv.vs).filter((v) => v.status === 'open');
  // Per open vote: the head and the controls (kept while a confirmation is
  // asked), and a live slot (count, countdown, who voted how) refilled apart.
  const liveSlots = new Map(); // vote id -> {el, key}
  const currentR = region('div', { dataset: { region: 'votes-open' } }, () => [getLang(), open().map((v) => [v.id, v.number, v.title, v.motion, v.rule_text])], () => {
    const vs = open();
    liveSlots.clear();
    if (!vs.length) return h('p', { class: 'muted', i18n: 'vote.noneOpen' });
    return vs.map((v) => {
      const close = h('button', { type: 'button', class: 'btn btn-danger-outline', dataset: { action: `close-vote-${v.id}`, focusKey: `close-vote-${v.id}` }, i18n: 'vote.close' });
      close.addEventListener('click', () => confirmAction(close, { key: 'vote.closeConfirm', yesKey: 'vote.closeYes', danger: true }, async () => {
        mv.adopt(await post(vpath(v, 'close')));
      }));
      const slot = h('div', { class: 'vote-live-slot', dataset: { region: 'vote-live' } });
      liveSlots.set(v.id, { el: slot, key: null });
      return h('div', { class: 'vote-open', dataset: { voteId: v.id, voteStatus: 'open' } },
        voteHead(v, { level: 3 }),
        h('div', { class: 'actions' },
          EXTENDS.map((s) => button('vote.extend', `extend-${s}-${v.id}`, () => post(vpath(v, 'extend'), { seconds: s }), 'btn', { minutes: s / 60 })),
          h('span', { class: 'row-actions-inner' }, close)),
        slot, handForm(v));
    });
  });
  const updateLive = () => {
    for (const [id, slot] of liveSlots) {
      const v = mv.vs.byId.get(id);
      if (!v) continue;
      const key = JSON.stringify([v.deadline, v.live, v.named]);
      if (key === slot.key) continue;
      slot.key = key;
      slot.el.replaceChildren(liveBlock(v, { now }), namedList(v, { captionKey: 'vote.namedLive' }) || '');
    }
  };

  // ---- every vote: drafts to open, results, repeats
  // A closed meeting's votes are history: no new votes, no repeats.
  const isClosed = () => live.state.status === 'closed';
  const listR = region('div', { dataset: { region: 'votes' } }, () => [getLang(), isClosed(), allVotes(mv.vs).map((v) => [v.id, v.number, v.status, v.title, v.result && v.result.outcome, v.outcome, v.repeat_of, v.pending_result ? 1 : 0, JSON.stringify(v.confirmations || [])])], () => {
    const vs = allVotes(mv.vs);
    if (!vs.length) return h('p', { class: 'muted', i18n: 'vote.none' });
    return h('ol', { class: 'vote-list', dataset: { list: 'votes' } }, vs.map((v) => {
      const row = [h('p', { class: 'vote-row-title' }, voteNumber(v), h('span', { class: 'vote-row-name' }, v.title), ' ', voteStatusBadge(v), ' ',
        outcomeBadge(v.result ? v.result.outcome : v.outcome, v),
        v.repeat_of ? [' ', h('span', { class: 'badge', i18n: 'vote.repeatBadge' })] : null)];
      if (v.status === 'draft' && !isClosed()) {
        row.push(h('div', { class: 'actions' }, button('vote.open', `open-vote-${v.id}`, () => post(vpath(v, 'open')), 'btn btn-primary', { title: v.title })));
      } else if (v.status === 'confirming') {
        const me = (live.state.people || []).find((p) => p.user_id === mv.vs.meId);
        row.push(confirmBlock(v, { canAnnounce: true, isCommittee: !!(me && me.is_scrutiny), adopt: (j) => mv.adopt(j), meId: mv.vs.meId }));
      } else if (v.status === 'closed') {
        const reason = field({ name: 'reason', label: 'vote.repeatReasonField', tag: 'textarea', required: true, attrs: { rows: '2', maxlength: '2000' } });
        const rform = h('form', { class: 'form', novalidate: true, dataset: { form: 'repeat', voteId: v.id } },
          formError(), reason.wrap, h('div', { class: 'actions' }, submit('vote.repeat')));
        onSubmit(rform, async () => {
          const r = reason.input.value.trim();
          if (!r) throw new ApiError(422, 'reason', '', 'reason');
          mv.adopt(await post(vpath(v, 'repeat'), { reason: r }));
        }, { reason: 'vote.repeatReasonMissing' });
        row.push(reportLink(v),
          h('details', { class: 'disclosure', dataset: { disclosure: `result-${v.id}` } }, h('summary', { i18n: 'vote.showResult' }), resultBlock(v, { level: 4 })),
          isClosed() ? null : h('details', { class: 'disclosure', dataset: { disclosure: `repeat-${v.id}` } }, h('summary', { i18n: 'vote.repeatHeading' }), h('p', { class: 'field-hint', i18n: 'vote.repeatHint' }), rform));
      }
      return h('li', { class: 'vote-row', dataset: { voteId: v.id, voteStatus: v.status } }, row);
    }));
  });

  const update = () => {
    prepare.hidden = isClosed();
    currentR.update(null);
    updateLive();
    listR.update(null);
    electorateR.update(live.state);
    itemsR.update(live.state);
  };
  return { actionError, prepare, current: currentR, list: listR, update };
}
