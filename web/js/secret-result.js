// secret-result.js — the result of a SECRET vote on the member view, the
// projector and the public view: the counts (no named list — nobody knows
// who voted how), the ballots cast of the eligible, the verdict in words,
// the board hash and the links to check it all (secret-links.js). While the
// scrutiny committee decrypts ("counting") it says so.

import { h } from './dom.js';
import { getLang } from './i18n.js';
import { boardLinks } from './secret-links.js';

const inLang = (pair) => (pair && typeof pair === 'object' ? pair[getLang()] || pair.pl || pair.en || '' : '');

function row(labelNode, value, data) {
  return h('tr', { dataset: data }, h('th', { scope: 'row' }, labelNode), h('td', { class: 'num' }, String(value)));
}

/** The counts of a closed secret vote's result r. */
function countsTable(vote, r) {
  const rows = r.method === 'election' || Array.isArray(r.candidates)
    ? [...(r.candidates || []).map((c) => row(h('span', {}, c.name, c.elected ? [' ', h('span', { class: 'badge', i18n: 'secret.elected' })] : null), c.votes, { option: String(c.index) })),
      row(h('span', { i18n: 'secret.blankBallots' }), r.blank ?? 0, { option: 'blank' })]
    : [row(h('span', { i18n: 'secret.choice.yes' }), r.yes, { option: 'yes' }),
      row(h('span', { i18n: 'secret.choice.no' }), r.no, { option: 'no' }),
      row(h('span', { i18n: 'secret.choice.abstain' }), r.abstain, { option: 'abstain' })];
  return h('table', { class: 'table secret-counts', dataset: { secretCounts: '' } },
    h('caption', { i18n: 'secret.resultCaption' }),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', i18n: 'secret.option' }), h('th', { scope: 'col', i18n: 'secret.votes' }))),
    h('tbody', {}, rows));
}

/**
 * The block for a secret vote that is closed or being counted; null for
 * other states. big: the projector's large type.
 */
export function secretResultBlock(vote, { big = false, headingLevel = 3 } = {}) {
  if (vote.status === 'counting') {
    return h('div', { class: 'secret-result secret-counting', dataset: { secretResult: 'counting' } },
      h(`h${headingLevel}`, {}, vote.title),
      h('p', { class: 'notice', role: 'status', i18n: 'secret.countingNotice' }));
  }
  if (vote.status !== 'closed' || !vote.result) return null;
  const r = vote.result;
  const cast = r.ballots_cast ?? r.cast;
  return h('div', { class: `secret-result${big ? ' secret-result-big' : ''}`, dataset: { secretResult: 'closed', voteId: vote.id } },
    h(`h${headingLevel}`, {}, h('span', { class: 'badge badge-secret', i18n: 'secret.badge' }), ' ', vote.title),
    r.outcome ? h('p', { class: `vote-outcome outcome-${r.outcome}`, dataset: { outcome: r.outcome } },
      h('strong', { i18n: `secret.outcome.${r.outcome}` }), r.verdict ? [' — ', inLang(r.verdict)] : null) : null,
    countsTable(vote, r),
    h('p', { dataset: { ballotsCast: String(cast) } }, h('span', { i18n: 'secret.ballotsCast', i18nParams: { cast, eligible: r.eligible ?? '—' } })),
    r.board_hash ? h('p', { class: 'secret-board-hash' }, h('span', { i18n: 'secret.boardHash' }), ' ',
      h('span', { class: 'mono break', dataset: { boardHash: r.board_hash } }, r.board_hash)) : null,
    Array.isArray(r.trustees) && r.trustees.length
      ? h('p', { class: 'muted' }, h('span', { i18n: 'secret.trusteesWere' }), ' ', r.trustees.join(', ')) : null,
    big ? null : boardLinks(vote.id));
}
