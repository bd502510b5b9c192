// views/meeting-public.js — "/meetings/{id}/public": what anyone may see of
// a public meeting, without signing in: the agenda, the current item, the
// attendance counts and the names of the members present, who speaks, the
// votes (results and named lists are public by law). No
// chat, no e-mail addresses (the public snapshot carries none).

import { h } from '../dom.js';
import { get } from '../api.js';
import { MeetingLive } from '../meeting-live.js';
import { MeetingVotes } from '../meeting-votes.js';
import { onLangChange } from '../i18n.js';
import { publicVotes } from './vote-screens.js';
import { protocolLink } from './vote-ui.js';
import { failedView } from '../ui.js';
import { listenPanel } from './audio-ui.js';
import {
  meetingName, startsText, statusBadge, region, startTicker, quorumBlock, speakerBlock, currentItemBlock, agendaList,
  connectionIndicator,
} from './meeting-ui.js';

export const titleKey = 'public.title';

export async function render(outlet, { params }) {
  let details;
  try {
    // Anonymous on purpose: the same view for everyone. Documents of a public meeting are public.
    details = await get(`/api/meetings/${encodeURIComponent(params.id)}`);
  } catch (err) {
    return failedView(err, 'public.unavailable');
  }
  const live = new MeetingLive(details.id, { isPublic: true });
  try {
    await live.load();
  } catch (err) {
    return failedView(err, 'public.unavailable');
  }
  const now = () => live.now();
  const statusR = region('p', {}, (st) => [st.status], (st) => statusBadge(st.status));
  const itemR = region('div', { dataset: { region: 'current' } }, (st) => [st.current_item, st.agenda], (st) => currentItemBlock(st, details));
  // A closed meeting has no current item, quorum or broadcast (the listen panel hides itself): only its record.
  const quorumR = region('div', { dataset: { region: 'quorum' } },
    (st) => [st.attendance, st.status],
    (st) => {
      if (st.status === 'closed') return h('p', { class: 'muted', dataset: { closed: '' }, i18n: 'public.closed' });
      return st.status === 'in_progress' || st.attendance.n_checks ? quorumBlock(st, { now }) : h('p', { class: 'muted', i18n: 'public.notStarted' });
    });
  // Names only of members present (what the law publishes), never of the absent.
  const presentR = region('div', { dataset: { region: 'present' } }, (st) => [(st.people || []).filter((p) => p.is_present).map((p) => p.name)], (st) => {
    const names = (st.people || []).filter((p) => p.is_present).map((p) => p.name);
    if (!names.length) return h('p', { class: 'muted', i18n: 'public.nobodyPresent' });
    return h('ul', { class: 'names', dataset: { list: 'present' } }, names.map((n) => h('li', {}, n)));
  });
  const speakerR = region('div', { dataset: { region: 'speaker' } }, (st) => [st.floor.speaker], (st) => speakerBlock(st, { now }));
  const agendaR = region('div', { dataset: { region: 'agenda' } }, (st) => [st.agenda, st.current_item], (st) => agendaList(st, details));
  // Votes: results and named lists of open votes are public by law.
  const mv = new MeetingVotes(live);
  const votesR = publicVotes({ mv, now });
  mv.onChange(() => votesR.update());
  const offLang = onLangChange(() => votesR.update(true));
  const protocolR = region('div', { dataset: { region: 'protocol' } }, (st) => [st.status],
    (st) => (st.status === 'in_progress' || st.status === 'closed' ? protocolLink(details.id, st.status) : null));
  const regions = [protocolR, statusR, itemR, quorumR, presentR, speakerR, agendaR];
  const curSection = h('section', { class: 'panel', 'aria-labelledby': 'pub-cur' }, h('h2', { id: 'pub-cur', i18n: 'item.current' }), itemR);
  const update = (st) => {
    regions.forEach((r) => r.update(st));
    curSection.hidden = st.status === 'closed';
  };
  const conn = connectionIndicator(live);
  const listen = listenPanel(details.id, { broadcastUrl: details.broadcast_url, live });
  live.onChange(update);
  update(live.state);
  votesR.update();
  live.start();
  mv.start();
  mv.load().catch(() => null); // after the page shows; events meanwhile are applied over it
  conn.bind();
  outlet.append(
    h('p', { class: 'eyebrow' }, h('span', { i18n: 'public.eyebrow' }), details.body ? ` · ${details.body.name}` : ''),
    h('h1', {}, meetingName(details)),
    h('p', { class: 'meeting-when' }, startsText(details), details.place ? ` · ${details.place}` : ''),
    conn, statusR, protocolR,
    listen.el,
    curSection,
    h('section', { class: 'panel', 'aria-labelledby': 'pub-att' }, h('h2', { id: 'pub-att', i18n: 'attendance.heading' }), quorumR,
      h('h3', { i18n: 'public.presentMembers' }), presentR),
    h('section', { class: 'panel', 'aria-labelledby': 'pub-votes' }, h('h2', { id: 'pub-votes', i18n: 'projector.votes' }), votesR.el),
    h('section', { class: 'panel', 'aria-labelledby': 'pub-sp' }, h('h2', { id: 'pub-sp', i18n: 'floor.heading' }), speakerR),
    h('section', { class: 'panel', 'aria-labelledby': 'pub-ag' }, h('h2', { id: 'pub-ag', i18n: 'agenda.heading' }), agendaR),
  );
  const stop = startTicker(outlet, now);
  return () => {
    stop();
    listen.close();
    offLang();
    mv.close();
    live.close();
  };
}
