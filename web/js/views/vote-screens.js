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

/** Votes per choice of an open motion: from the result once closed, else
 *  counted from the live named list; null for a secret vote still open. */
function tally(v) {
  const r = v.result;
  if (r && v.method !== 'election') return { yes: r.yes ?? 0, no: r.no ?? 0, abstain: r.abstain ?? 0, none: r.not_voted ?? 0 };
  if (v.method === 'election' || !v.named) return null;
  const t = { yes: 0, no: 0, abstain: 0, none: 0 };
  for (const row of v.named) t[row.choice in t ? row.choice : 'none'] += 1;
  return t;
}

/** A bar of the votes per choice, for the eye only (the counts are in text). */
function tallyBar(v) {
  const t = tally(v);
  if (!t) return null;
  const total = t.yes + t.no + t.abstain + t.none;
  if (!total) return null;
  return h('div', { class: 'tally-bar', 'aria-hidden': 'true', dataset: { tallyBar: '' } },
    ['yes', 'no', 'abstain', 'none'].filter((k) => t[k] > 0).map((k) => {
      const seg = h('span', { class: `tally-seg tally-${k}`, dataset: { n: String(t[k]) } }, String(t[k]));
      seg.style.flexGrow = String(t[k]);
      return seg;
    }));
}

/** Marks the named list with its length so CSS sizes the grid of names to fit the screen. */
function sized(node) {
  if (!node || !node.querySelector) return node;
  const list = node.matches('[data-list="named"]') ? node : node.querySelector('[data-list="named"]');
  if (list) {
    const n = list.querySelectorAll('tbody tr').length;
    list.dataset.size = n > 60 ? 'xl' : n > 36 ? 'l' : n > 16 ? 'm' : 's';
  }
  return node;
}

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
      el.replaceChildren(...[voteHead(v, { level: 3, withMotion: false }), liveBlock(v, { now, big: true }), tallyBar(v),
        sized(namedList(v, { captionKey: 'vote.namedLive' }))].filter(Boolean));
    } else {
      const result = sized(resultBlock(v, { level: 3, big: true }));
      const bar = tallyBar(v);
      const counts = result.querySelector('[data-list="result-counts"]');
      if (bar && counts) counts.after(bar);
      el.replaceChildren(...[voteHead(v, { level: 3, withMotion: false, withRule: false }), result, secretExtras(v, { big: true })].filter(Boolean));
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
        voteNumber(v), v.title, ' ', voteStatusBadge(v), ' ', outcomeBadge(v.result ? v.result.outcome : v.outcome, v), reportLink(v)))));
    }
    el.replaceChildren(...nodes.filter(Boolean));
  };
  return { el, update };
}
