// views/meeting-projector.js — "/meetings/{id}/projector": the screen in
// the council room. Large type, high contrast, no controls: the meeting,
// the current item, attendance and quorum, who speaks and for how long; the
// vote: countdown and count while open, then the result with the named list. Signed-in staff see everything live; for a
// public meeting it also works without signing in (the public stream).

import { h } from '../dom.js';
import { get } from '../api.js';
import { getMe } from '../session.js';
import { MeetingLive } from '../meeting-live.js';
import { MeetingVotes } from '../meeting-votes.js';
import { onLangChange } from '../i18n.js';
import { projectorVote } from './vote-screens.js';
import { failedView } from '../ui.js';
import {
  meetingName, statusBadge, region, startTicker, quorumBlock, speakerBlock, currentItemBlock, connectionIndicator,
} from './meeting-ui.js';

export const titleKey = 'projector.title';

export async function render(outlet, { params }) {
  const me = getMe();
  let details;
  try {
    details = await get(`/api/meetings/${encodeURIComponent(params.id)}`);
  } catch (err) {
    return failedView(err);
  }
  const isStaff = !!(me && (details.me?.can_conduct || details.me?.can_prepare));
  const isPublic = !me || !(details.me && (details.me.is_participant || isStaff));
  const live = new MeetingLive(details.id, { isStaff, isPublic });
  try {
    await live.load();
  } catch (err) {
    return failedView(err);
  }
  const now = () => live.now();
  const statusR = region('p', { class: 'proj-status' }, (st) => [st.status], (st) => statusBadge(st.status));
  const itemR = region('div', { class: 'proj-item', dataset: { region: 'current' } }, (st) => [st.current_item, st.agenda],
    (st) => currentItemBlock(st, details, { headingLevel: 3, withDocs: false }));
  const quorumR = region('div', { class: 'proj-quorum', dataset: { region: 'quorum' } },
    (st) => [st.attendance.present_count, st.attendance.has_quorum, st.attendance.is_check_open, st.attendance.ends_at, st.status, st.attendance.n_checks],
    (st) => quorumBlock(st, { big: true, now }));
  const speakerR = region('div', { class: 'proj-speaker', dataset: { region: 'speaker' } }, (st) => [st.floor.speaker], (st) => speakerBlock(st, { now }));
  const mv = new MeetingVotes(live, { meId: me ? me.user.id : null });
  try {
    await mv.load();
  } catch (err) {
    return failedView(err);
  }
  const voteR = projectorVote({ mv, now });
  mv.onChange(() => voteR.update());
  const offLang = onLangChange(() => voteR.update(true));
  const regions = [statusR, itemR, quorumR, speakerR];
  const update = (st) => regions.forEach((r) => r.update(st));
  const conn = connectionIndicator(live);
  live.onChange(update);
  update(live.state);
  voteR.update();
  live.start();
  mv.start();
  conn.bind();
  document.documentElement.classList.add('projector-mode');
  outlet.append(h('div', { class: 'projector' },
    h('div', { class: 'proj-head' },
      h('p', { class: 'proj-body' }, details.body ? details.body.name : ''),
      h('h1', { class: 'proj-title' }, meetingName(details)),
      statusR, conn),
    h('section', { class: 'proj-panel', 'aria-labelledby': 'proj-cur' }, h('h2', { id: 'proj-cur', i18n: 'item.current' }), itemR),
    h('div', { class: 'proj-row' },
      h('section', { class: 'proj-panel', 'aria-labelledby': 'proj-att' }, h('h2', { id: 'proj-att', i18n: 'attendance.heading' }), quorumR),
      h('section', { class: 'proj-panel', 'aria-labelledby': 'proj-sp' }, h('h2', { id: 'proj-sp', i18n: 'floor.heading' }), speakerR)),
    h('section', { class: 'proj-panel proj-votes', 'aria-labelledby': 'proj-votes', dataset: { slot: 'votes' } },
      h('h2', { id: 'proj-votes', i18n: 'projector.votes' }), voteR.el)));
  const stop = startTicker(outlet, now);
  return () => {
    stop();
    offLang();
    mv.close();
    live.close();
    document.documentElement.classList.remove('projector-mode');
  };
}
