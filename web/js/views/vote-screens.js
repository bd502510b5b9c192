// views/vote-screens.js — the vote on the projector and on the public view:
// while open, its title, countdown, count and (open votes are named) who
// has voted how; after the close, the result: counts per option, the
// outcome, the rule and verdict in words and the named list, large.

import { h } from '../dom.js';
import { currentVote, allVotes } from '../vote-state.js';
import {
  voteHead, liveBlock, resultBlock, namedList, voteStatusBadge, outcomeBadge, voteNumber, reportLink,
} from './vote-ui.js';
import { secretExtras } from '../secret-result.js';

/** The projector's vote area: {el, update()}. */
export function projectorVote({ mv, now }) {
  let last = null;
  const el = h('div', { class: 'proj-vote', dataset: { region: 'vote' } });
  const update = (force = false) => {
    const v = currentVote(mv.vs);
    const key = JSON.stringify(v ? [v.id, v.number, v.status, v.title, v.deadline, v.live, v.named, v.result, v.rule_text] : null);
    if (!force && key === last) return;
    last = key;
    if (!v) {
      el.replaceChildren(h('p', { class: 'muted', i18n: 'projector.noVotes' }));
      return;
    }
    el.dataset.voteId = v.id;
    el.dataset.voteStatus = v.status;
    if (v.status === 'open') {
      el.replaceChildren(voteHead(v, { level: 3, withMotion: false }), liveBlock(v, { now, big: true }),
        namedList(v, { captionKey: 'vote.namedLive' }) || '');
    } else {
      el.replaceChildren(...[voteHead(v, { level: 3, withMotion: false, withRule: false }), resultBlock(v, { level: 3, big: true }), secretExtras(v, { big: true })].filter(Boolean));
    }
  };
  return { el, update };
}

/** The public view's votes: the current one in full, the others with their outcome. {el, update()}. */
export function publicVotes({ mv, now }) {
  let last = null;
  const el = h('div', { dataset: { region: 'votes' } });
  const update = (force = false) => {
    const cur = currentVote(mv.vs);
    const all = allVotes(mv.vs).filter((v) => v.status !== 'draft');
    const key = JSON.stringify([cur && [cur.id, cur.number, cur.status, cur.deadline, cur.live, cur.named, cur.result], all.map((v) => [v.id, v.number, v.status, v.outcome, v.result && v.result.outcome])]);
    if (!force && key === last) return;
    last = key;
    if (!cur) {
      el.replaceChildren(h('p', { class: 'muted', i18n: 'vote.nonePublic' }));
      return;
    }
    const nodes = [h('div', { class: 'vote-current', dataset: { voteId: cur.id, voteStatus: cur.status } },
      h('p', {}, voteStatusBadge(cur)), voteHead(cur, { level: 3 }),
      cur.status === 'open' ? [liveBlock(cur, { now }), namedList(cur, { captionKey: 'vote.namedLive' })] : [resultBlock(cur, { level: 4, report: true }), secretExtras(cur)])];
    const others = all.filter((v) => v !== cur).reverse();
    if (others.length) {
      nodes.push(h('h3', { i18n: 'vote.earlier' }), h('ul', { class: 'vote-list', dataset: { list: 'votes' } }, others.map((v) => h('li', { dataset: { voteId: v.id } },
        voteNumber(v), v.title, ' ', voteStatusBadge(v), ' ', outcomeBadge(v.result ? v.result.outcome : v.outcome), reportLink(v)))));
    }
    el.replaceChildren(...nodes.filter(Boolean));
  };
  return { el, update };
}
