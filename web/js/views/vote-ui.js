// views/vote-ui.js — parts of the vote screens shared by the member view,
// the console, the projector and the public view: the vote's heading with
// its motion and rule, the live count with the countdown, the named list
// (who voted how: open votes are public by law) and the result with the
// rule and the verdict in words.

import { h } from '../dom.js';
import { getLang } from '../i18n.js';
import { countdown } from './meeting-ui.js';
import { liveCount } from '../vote-state.js';
import { liveShares } from '../weights.js';

export const CHOICES = ['yes', 'no', 'abstain'];

/** The text of a {pl, en} pair in the current language. */
export function inLang(pair) {
  if (!pair || typeof pair !== 'object') return '';
  return pair[getLang()] || pair.pl || pair.en || '';
}

/** A vote's status badge. */
export function voteStatusBadge(v) {
  return h('span', { class: `badge vote-status vote-status-${v.status}`, dataset: { voteStatus: v.status }, i18n: `vote.status.${v.status}` });
}

/** The outcome badge of a closed vote of v, in the words of the server's
 *  verdicts (core/vote_rules_text.c, the public pages, PDFs): a motion
 *  "podjęta" / "adopted", an election "rozstrzygnięte" / "decided". */
export function outcomeBadge(outcome, v) {
  if (!outcome) return null;
  const isElection = !!v && (v.method === 'election' || (v.result && v.result.method === 'election'));
  return h('span', { class: `badge vote-outcome outcome-${outcome}`, dataset: { outcome }, i18n: `${isElection ? 'vote.electionOutcome' : 'vote.outcome'}.${outcome}` });
}

/** The outcome badge of a closed motion worded by the server's verdict (with
 *  a tie or an invalid vote's reason), so the outcome is not said twice. */
function verdictBadge(outcome, verdict) {
  return h('span', { class: `badge vote-outcome outcome-${outcome}`, dataset: { outcome, verdict: '' } }, verdict);
}

/** Title, motion (as written, line breaks kept), the rule in words; heading level given. */
export function voteHead(v, { level = 3, withMotion = true, withRule = true } = {}) {
  return h('div', { class: 'vote-head' },
    h(`h${level}`, { class: 'vote-title' }, voteNumber(v), v.title,
      v.repeat_of ? [' ', h('span', { class: 'badge', i18n: 'vote.repeatBadge' })] : null),
    v.repeat_reason ? h('p', { class: 'vote-repeat-reason' }, h('span', { i18n: 'vote.repeatReason' }), ' ', v.repeat_reason) : null,
    withMotion && v.motion ? h('p', { class: 'vote-motion', dataset: { motion: '' } }, v.motion) : null,
    withRule && v.rule_text ? h('p', { class: 'vote-rule muted' }, h('span', { i18n: 'vote.rule' }), ' ', inLang(v.rule_text)) : null);
}

/** "No. 2:" before a vote's title: the order of opening, as in the protocol. */
export function voteNumber(v) {
  if (!v.number) return null;
  return [h('span', { class: 'vote-number', dataset: { voteNumber: String(v.number) }, i18n: 'vote.number', i18nParams: { n: v.number } }), ' '];
}

/** "Cast 3 of 15" with the countdown to the deadline. */
export function liveBlock(v, { now = Date.now, big = false } = {}) {
  const c = liveCount(v);
  return h('div', { class: `vote-live${big ? ' vote-live-big' : ''}` },
    h('p', { class: 'vote-count', dataset: { cast: String(c.cast), eligible: String(c.eligible) } },
      h('span', { i18n: 'vote.castOf', i18nParams: { cast: c.cast, count: c.eligible } })),
    sharesLive(v),
    v.deadline ? h('p', { class: 'vote-time' }, h('span', { i18n: 'vote.timeLeft' }), ' ', countdown(v.deadline, now)) : null);
}

/** "Shares cast 51.0473 of 62.0473" while a vote of a body with weights is open. */
function sharesLive(v) {
  const s = liveShares(v.named);
  if (!s) return null;
  return h('p', { class: 'vote-count vote-shares', dataset: { sharesCast: s.cast, sharesEligible: s.eligible } },
    h('span', { i18n: 'vote.sharesCastOf', i18nParams: { cast: s.cast, count: s.eligible } }));
}

/** A row without a ballot: absent, or present and did not vote. */
const noBallot = (row) => (row.absent
  ? h('span', { class: 'choice choice-absent', dataset: { choice: 'absent' }, i18n: 'vote.absent' })
  : h('span', { class: 'choice choice-none', dataset: { choice: 'none' }, i18n: 'vote.notVoted' }));

/** The text of one named row's choice (motion or election). */
function choiceCell(v, row) {
  if (v.method === 'election') {
    if (row.choices === null || row.choices === undefined) return noBallot(row);
    if (!row.choices.length) return h('span', { class: 'choice choice-blank', i18n: 'vote.blank' });
    const names = row.choices.map((i) => (v.candidates && v.candidates[i] !== undefined ? candidateName(v.candidates[i]) : `#${i + 1}`));
    return h('span', { class: 'choice choice-cands' }, names.join(', '));
  }
  if (!row.choice) return noBallot(row);
  return h('span', { class: `choice choice-${row.choice}`, dataset: { choice: row.choice }, i18n: `vote.choice.${row.choice}` });
}

const candidateName = (c) => (typeof c === 'string' ? c : c && c.name) || '';

/** Who voted how: a table (caption given), in the server's order (Polish alphabetical). */
export function namedList(v, { captionKey = 'vote.namedList' } = {}) {
  const rows = v.named || [];
  if (!rows.length) return null;
  // A body with weights: each voter's weight (frozen at the opening) in a column.
  const withWeights = rows.some((r) => r.weight !== undefined);
  return h('table', { class: 'table named-list', dataset: { list: 'named', voteId: v.id } },
    h('caption', { i18n: captionKey }),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', i18n: 'member.name' }), h('th', { scope: 'col', i18n: 'vote.choiceHeading' }),
      withWeights ? h('th', { scope: 'col', class: 'num', i18n: 'vote.weight' }) : null)),
    h('tbody', {}, rows.map((r) => h('tr', { dataset: { userId: r.user_id } },
      h('th', { scope: 'row' }, r.name || '—',
        r.cast_by_name ? [' ', h('span', { class: 'proxy-note', dataset: { byProxy: '' }, i18n: 'vote.castByProxy', i18nParams: { name: r.cast_by_name } })] : null),
      h('td', {}, choiceCell(v, r),
        r.by_hand ? [' ', h('span', { class: 'badge', dataset: { byHand: '' }, i18n: 'vote.byHandBadge' })] : null),
      withWeights ? h('td', { class: 'num', dataset: { weight: r.weight ?? '' } }, r.weight ?? '—') : null))));
}

/** Counts per option (or per candidate) of a result. */
function countsTable(v, r) {
  if (r.method === 'election' || v.method === 'election') {
    const cands = r.candidates || [];
    return h('table', { class: 'table result-counts', dataset: { list: 'result-counts' } },
      h('caption', { i18n: 'vote.resultCounts' }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', i18n: 'vote.candidate' }), h('th', { scope: 'col', i18n: 'vote.votes' }), h('th', { scope: 'col', i18n: 'vote.elected' }))),
      h('tbody', {}, cands.map((c) => h('tr', { dataset: { candidate: String(c.index), elected: c.elected ? 'yes' : 'no' } },
        h('th', { scope: 'row' }, c.name), h('td', { class: 'num' }, String(c.votes)),
        h('td', {}, c.elected ? h('span', { class: 'badge outcome-adopted', i18n: 'vote.electedYes' }) : null,
          c.tied ? [' ', h('span', { class: 'badge', i18n: 'vote.tied' })] : null)))),
      h('tfoot', {},
        // A secret election's blank ballots are secret too (null): no row.
        r.blank === null ? null : h('tr', {}, h('th', { scope: 'row', i18n: 'vote.blankCount' }), h('td', { class: 'num' }, String(r.blank ?? 0)), h('td', {})),
        h('tr', {}, h('th', { scope: 'row', i18n: 'vote.notVotedCount' }), h('td', { class: 'num' }, String(r.not_voted ?? 0)), h('td', {}))));
  }
  const row = (key, n, cls) => h('tr', { class: cls, dataset: { count: cls } }, h('th', { scope: 'row', i18n: key }), h('td', { class: 'num' }, String(n ?? 0)));
  return h('table', { class: 'table result-counts', dataset: { list: 'result-counts' } },
    h('caption', { i18n: 'vote.resultCounts' }),
    h('tbody', {},
      row('vote.choice.yes', r.yes, 'yes'), row('vote.choice.no', r.no, 'no'), row('vote.choice.abstain', r.abstain, 'abstain'),
      row('vote.notVotedCount', r.not_voted, 'not-voted')));
}

/** A body with weights: the shares per answer (exact decimals from the
 *  server) and which count decided — heads or shares; null otherwise. */
function sharesTable(r) {
  const w = r.weighted;
  if (!w) return null;
  const row = (key, n, cls) => h('tr', { dataset: { share: cls } }, h('th', { scope: 'row', i18n: key }), h('td', { class: 'num' }, n ?? '0'));
  return [h('table', { class: 'table result-shares', dataset: { list: 'result-shares' } },
    h('caption', { i18n: 'vote.sharesCaption' }),
    h('tbody', {},
      row('vote.choice.yes', w.yes, 'yes'), row('vote.choice.no', w.no, 'no'), row('vote.choice.abstain', w.abstain, 'abstain'),
      row('vote.sharesCast', w.cast, 'cast'), row('vote.sharesEligible', w.eligible, 'eligible'))),
  h('p', { class: 'vote-decided-on', dataset: { decidedOn: r.decided_on || 'heads' }, i18n: r.decided_on === 'weights' ? 'vote.decidedOnShares' : 'vote.decidedOnHeads' })];
}

/** The link that downloads a closed vote's report (PDF); null before the close. */
export function reportLink(v) {
  if (v.status !== 'closed') return null;
  return h('p', { class: 'report-link' }, h('a', {
    class: 'btn',
    href: `/api/votes/${encodeURIComponent(v.id)}/report.pdf`, download: '', dataset: { reportLink: v.id },
    i18n: 'report.votePdf', i18nParams: { n: v.number || '' },
  }));
}

/** The link that downloads a meeting's protocol (PDF; a draft until the meeting closes). */
export function protocolLink(meetingId, status) {
  return h('p', { class: 'report-link' }, h('a', {
    class: 'btn',
    href: `/api/meetings/${encodeURIComponent(meetingId)}/protocol.pdf`, download: '', dataset: { protocolLink: status },
    i18n: status === 'closed' ? 'report.protocolPdf' : 'report.protocolDraftPdf',
  }));
}

/** The result of a closed vote: outcome (a motion's in the verdict's words;
 *  an election's verdict naming the elected), rule, counts, turnout, named list. */
export function resultBlock(v, { level = 3, withNamed = true, big = false, report = false } = {}) {
  const r = v.result;
  if (!r) return h('p', { class: 'notice', dataset: { noResult: v.status }, i18n: v.status === 'counting' ? 'vote.countingNotice' : v.status === 'confirming' ? 'vote.confirmingNotice' : 'vote.noResultYet' });
  // A motion's verdict ("podjęta", "odrzucona — remis") is its outcome in
  // words: said once, in the badge. An election's names who was elected.
  const isElection = r.method === 'election' || v.method === 'election';
  const verdict = r.verdict ? inLang(r.verdict) : '';
  return h('div', { class: `vote-result${big ? ' vote-result-big' : ''}`, dataset: { result: r.outcome, voteId: v.id } },
    h(`h${level}`, { class: 'vote-result-heading' }, h('span', { i18n: 'vote.result' }), ' ',
      isElection || !verdict ? outcomeBadge(r.outcome, v) : verdictBadge(r.outcome, verdict)),
    isElection && verdict ? h('p', { class: 'vote-verdict', dataset: { verdict: '' } }, verdict) : null,
    r.rule_text ? h('p', { class: 'vote-rule' }, h('span', { i18n: 'vote.rule' }), ' ', inLang(r.rule_text)) : null,
    countsTable(v, r),
    sharesTable(r),
    h('p', { class: 'vote-turnout muted', i18n: 'vote.turnout', i18nParams: { cast: r.cast ?? 0, eligible: r.eligible ?? 0, present: r.present ?? 0 } }),
    withNamed ? namedList(v) : null,
    report ? reportLink(v) : null);
}
