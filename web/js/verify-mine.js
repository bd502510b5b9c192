// verify-mine.js — on the verification page, for a signed-in member: whether
// this device's voting key is on the verified board's electorate (under which
// name) and which of the board's ballots are signed with it, so a member sees
// in one look that their ballot was counted (spec v2).
//
//   const node = await mineBlock(summary);   // null: anonymous, v1 or no key here

import { h } from './dom.js';
import { getMe } from './session.js';
import { ready } from './evote/sodium.js';
import { localKeyHex, keyFingerprint } from './evote/voter-key.js';

export async function mineBlock(r) {
  const me = getMe();
  const hex = me && r.version === 2 ? localKeyHex(me.user.id) : null;
  if (!hex) return null;
  await ready();
  const fingerprint = keyFingerprint(hex);
  const entry = r.electorate.find((e) => e.key === hex) || r.key_changes.find((e) => e.key === hex);
  const mine = r.trackers.filter((_, i) => r.voter_keys[i] === hex);
  return h('section', { class: 'panel', dataset: { verify: 'mine', key: fingerprint, ballots: String(mine.length) }, 'aria-labelledby': 'verify-mine-h' },
    h('h3', { id: 'verify-mine-h', i18n: 'verify.mine.heading' }),
    h('p', { dataset: { mine: entry ? 'in-electorate' : 'not-in-electorate' }, i18n: entry ? 'verify.mine.inElectorate' : 'verify.mine.notInElectorate', i18nParams: { fingerprint, name: entry ? entry.name : '' } }),
    mine.length
      ? h('ul', {}, mine.map((t) => h('li', { class: 'mono', dataset: { myTracker: t } }, h('span', { i18n: 'verify.mine.ballot', i18nParams: { tracker: t } }))))
      : h('p', { dataset: { mine: 'no-ballot' }, i18n: 'verify.mine.noBallot' }));
}
