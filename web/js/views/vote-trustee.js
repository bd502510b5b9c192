// views/vote-trustee.js — "/votes/{id}/trustee": a scrutiny-committee member
// as a trustee of a secret vote (committee mode). Before the vote opens:
// 1. generate the key here and publish its public part; 2. once every member
// has, seal a share for each of the others; 3. open and check the shares
// received, combine them and save the passphrase-protected key file. After
// the close ("counting"): 4. with the key from this session or from the key
// file, decrypt the aggregate (with a proof) and send it. The private key
// never reaches the server. Live from the meeting's vote.* events, with a
// slow poll as a safety net.

import { h } from '../dom.js';
import { get, post } from '../api.js';
import { setI18n } from '../i18n.js';
import { requireMe } from '../session.js';
import { failedView, signInRequired, errorText, field } from '../ui.js';
import { MeetingLive } from '../meeting-live.js';
import { ready } from '../evote/sodium.js';
import { generateTrustee, sealShares } from '../evote/trustee.js';
import { localKey, keepKey, combineMyShares, makeKeyFile, readKeyFile, decryptAggregate } from '../trustee-keys.js';
import { boardLinks } from '../secret-links.js';

export const titleKey = 'trustee.title';

const EVENTS = ['vote.trustee_key', 'vote.trustee_shares', 'vote.trustees_ready', 'vote.opened', 'vote.counting', 'vote.closed'];
const POLL_MS = 5000;
const ERRORS = {
  trustee_done: 'trustee.err.done', not_trustee: 'trustee.err.notTrustee', bad_trustee_key: 'trustee.err.badKey',
  bad_decryption: 'trustee.err.badDecryption', bad_passphrase: 'trustee.err.passphrase', wrong_vote: 'trustee.err.wrongVote',
  wrong_key: 'trustee.err.wrongKey', bad_key_file: 'trustee.err.keyFile', bad_share: 'trustee.err.badShare', weak_passphrase: 'trustee.err.weakPassphrase',
};

function say(el, err) {
  const code = err && err.code;
  if (code && ERRORS[code]) {
    setI18n(el, ERRORS[code]);
    const reason = err.name === 'EvoteError' ? err.message : err.body && err.body.error && err.body.error.reason;
    if (reason) el.append(' ', h('span', { class: 'mono' }, String(reason)));
    return;
  }
  const m = err && err.name === 'ApiError' ? errorText(err) : { text: err && err.message ? err.message : String(err) };
  if (m.key) setI18n(el, m.key, m.params);
  else {
    el.removeAttribute('data-i18n');
    el.textContent = m.text;
  }
}

function step(n, key, state, ...body) {
  return h('li', { class: `trustee-step step-${state}`, dataset: { step: String(n), state } },
    h('h2', { class: 'trustee-step-title' },
      h('span', { class: 'step-icon', 'aria-hidden': 'true' }, state === 'done' ? '✓' : String(n)), ' ',
      h('span', { i18n: key }), ' ',
      h('span', { class: 'badge', i18n: `trustee.state.${state}` })),
    ...body);
}

function download(name, obj) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(obj, null, 2)], { type: 'application/json' }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

export async function render(outlet, { params, path }) {
  const me = await requireMe().catch(() => null);
  if (!me) return signInRequired(path);
  const voteId = params.id;
  const V = `/api/votes/${encodeURIComponent(voteId)}`;
  let vote;
  try {
    vote = await get(V);
  } catch (err) {
    return failedView(err);
  }
  const meId = me.user.id;
  let tr = null; // GET /trustees: {mode, threshold, members: [{index, user_id, name, member, box_public_key, shares_sent}], my_index, shares_for_me}
  try {
    tr = await get(`${V}/trustees`);
  } catch (err) {
    return failedView(err);
  }
  if (tr.mode !== 'committee' || !tr.my_index) {
    return [h('h1', { i18n: 'trustee.title' }), h('p', { class: 'notice', dataset: { trustee: 'not' }, i18n: 'trustee.notTrustee' })];
  }

  let board = null; // after the close
  let busy = false;
  const errorEl = h('p', { class: 'form-error', role: 'alert', dataset: { trusteeError: '' } });
  const statusEl = h('p', { class: 'form-status', role: 'status', dataset: { trusteeStatus: '' } });
  const steps = h('ol', { class: 'trustee-steps' });
  const pass = field({ name: 'passphrase', label: 'trustee.passphrase', hint: 'trustee.passphraseHint', type: 'password', required: true, attrs: { autocomplete: 'new-password', minlength: '8' } });
  const pass2 = field({ name: 'passphrase2', label: 'trustee.passphraseAgain', type: 'password', required: true, attrs: { autocomplete: 'new-password' } });
  const openPass = field({ name: 'keypass', label: 'trustee.passphrase', type: 'password', required: true, attrs: { autocomplete: 'current-password' } });
  const fileIn = field({ name: 'keyfile', label: 'trustee.keyFile', type: 'file', required: true, attrs: { accept: '.json,application/json' } });

  async function act(fn, progressKey) {
    if (busy) return;
    busy = true;
    errorEl.replaceChildren();
    if (progressKey) setI18n(statusEl, progressKey);
    redraw();
    try {
      await ready();
      await fn();
      statusEl.replaceChildren();
    } catch (err) {
      statusEl.replaceChildren();
      say(errorEl, err);
    } finally {
      busy = false;
      await reload();
    }
  }

  async function reload() {
    try {
      [vote, tr] = await Promise.all([get(V), get(`${V}/trustees`)]);
      if (vote.status === 'counting' || vote.status === 'closed') board = await get(`${V}/board`);
      else board = null;
    } catch (err) {
      say(errorEl, err);
    }
    redraw();
  }

  const myMember = () => (tr ? tr.members.find((m) => m.index === tr.my_index) : null);
  const myDecryption = () => {
    if (!board || !tr) return false;
    const myId = meId;
    const groups = board.election.trustee_groups || [];
    const g = groups.findIndex((x) => (x.members || []).some((m) => m.id === myId));
    return g >= 0 && board.decryptions.some((d) => d.group === g && d.index === tr.my_index);
  };

  function stepKey() {
    const m = myMember();
    if (m && m.member) return step(1, 'trustee.step.key', 'done', h('p', { i18n: 'trustee.keyDone' }));
    const btn = h('button', { type: 'button', class: 'btn btn-primary btn-big', dataset: { action: 'generate' }, i18n: 'trustee.generate', disabled: busy || vote.status !== 'draft' });
    btn.addEventListener('click', () => act(async () => {
      let k = localKey(voteId);
      if (!k) {
        const gen = generateTrustee({ voteId, memberId: meId, name: me.user.name, index: tr.my_index, threshold: tr.threshold });
        k = { secret: gen.secret, pub: gen.public };
        keepKey(voteId, k);
      }
      await post(`${V}/trustees/key`, { member: k.pub.member, box_public_key: k.pub.box_public_key });
    }, 'trustee.generating'));
    return step(1, 'trustee.step.key', 'todo', h('p', { i18n: 'trustee.keyIntro' }), btn);
  }

  function membersList() {
    return h('ul', { class: 'trustee-members', dataset: { list: 'trustees' } }, tr.members.map((m) => h('li', { dataset: { index: String(m.index), hasKey: String(!!m.member), hasShares: String(m.shares_sent > 0) } },
      h('span', {}, `${m.index}. ${m.name}`), ' ',
      h('span', { class: 'badge', i18n: m.shares_sent > 0 ? 'trustee.member.shares' : m.member ? 'trustee.member.key' : 'trustee.member.waiting' }))));
  }

  function stepShares() {
    const m = myMember();
    if (m && m.shares_sent > 0) return step(2, 'trustee.step.shares', 'done', h('p', { i18n: 'trustee.sharesDone' }));
    const haveAll = tr.members.every((x) => x.member && x.box_public_key);
    if (!m || !m.member || !haveAll) {
      const n = tr.members.filter((x) => x.member).length;
      return step(2, 'trustee.step.shares', 'waiting', h('p', { i18n: 'trustee.waitKeys', i18nParams: { count: n, total: tr.members.length } }));
    }
    const k = localKey(voteId);
    if (!k) return step(2, 'trustee.step.shares', 'blocked', h('p', { class: 'form-error', i18n: 'trustee.lostKey' }));
    const btn = h('button', { type: 'button', class: 'btn btn-primary btn-big', dataset: { action: 'shares' }, i18n: 'trustee.sendShares', disabled: busy });
    btn.addEventListener('click', () => act(async () => {
      const recipients = tr.members.map((x) => ({ index: x.index, box_public_key: x.box_public_key }));
      await post(`${V}/trustees/shares`, { shares: sealShares(k.secret, recipients) });
    }, 'trustee.sealing'));
    return step(2, 'trustee.step.shares', 'todo', h('p', { i18n: 'trustee.sharesIntro' }), btn);
  }

  function stepKeyFile() {
    const k = localKey(voteId);
    const m = myMember();
    if (k && k.saved) return step(3, 'trustee.step.file', 'done', h('p', { dataset: { keyFile: 'saved' }, i18n: 'trustee.fileSaved' }));
    if (!k) {
      // Our shares are out but this tab has no key: it was saved earlier (or lost).
      return m && m.shares_sent > 0 ? step(3, 'trustee.step.file', 'done', h('p', { i18n: 'trustee.fileElsewhere' })) : step(3, 'trustee.step.file', 'waiting', h('p', { i18n: 'trustee.fileLater' }));
    }
    const expected = tr.members.length - 1;
    const got = tr.shares_for_me.length;
    if (!m || !(m.shares_sent > 0) || got < expected) {
      return step(3, 'trustee.step.file', 'waiting', h('p', { i18n: 'trustee.waitShares', i18nParams: { count: got, total: expected } }));
    }
    const btn = h('button', { type: 'submit', class: 'btn btn-primary btn-big', dataset: { action: 'save-key' }, i18n: 'trustee.saveFile', disabled: busy });
    const form = h('form', { class: 'form', novalidate: true, dataset: { form: 'keyfile' } }, pass.wrap, pass2.wrap, h('div', { class: 'actions' }, btn));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      pass.error.replaceChildren();
      pass2.error.replaceChildren();
      if (pass.input.value.length < 8) {
        setI18n(pass.error, 'trustee.err.weakPassphrase');
        pass.input.focus();
        return;
      }
      if (pass.input.value !== pass2.input.value) {
        setI18n(pass2.error, 'trustee.err.mismatch');
        pass2.input.focus();
        return;
      }
      act(async () => {
        const share = k.share || await combineMyShares(k.secret, tr);
        keepKey(voteId, { ...k, share });
        const group = 1; // the committee's group: the server trustee is group 0
        const file = await makeKeyFile(k.secret, share, group, pass.input.value);
        download(`obrady-trustee-${voteId}-${k.secret.index}.json`, file);
        pass.input.value = '';
        pass2.input.value = '';
        keepKey(voteId, { secret: k.secret, share, saved: true });
      }, 'trustee.combining');
    });
    return step(3, 'trustee.step.file', 'todo', h('p', { i18n: 'trustee.fileIntro' }), form);
  }

  function stepDecrypt() {
    if (vote.status === 'draft' || vote.status === 'open') {
      return step(4, 'trustee.step.decrypt', 'waiting', h('p', { i18n: vote.status === 'open' ? 'trustee.decryptAfterClose' : 'trustee.decryptLater' }));
    }
    if (myDecryption()) return step(4, 'trustee.step.decrypt', 'done', h('p', { dataset: { decrypted: 'yes' }, i18n: 'trustee.decrypted' }), vote.status === 'closed' ? boardLinks(voteId) : null);
    if (vote.status === 'closed') return step(4, 'trustee.step.decrypt', 'done', h('p', { i18n: 'trustee.closedWithout' }), boardLinks(voteId));
    if (!board) return step(4, 'trustee.step.decrypt', 'waiting', h('p', { i18n: 'trustee.loading' }));
    const send = async (share, index) => {
      const d = await decryptAggregate(board, meId, index, share);
      try {
        await post(`${V}/decryptions`, { factors: d.factors, proofs: d.proofs });
      } catch (err) {
        // Already in (a second click, another tab): the board shows it.
        if (!(err.status === 409 && err.code === 'trustee_done')) throw err;
      }
    };
    const k = localKey(voteId);
    const intro = h('p', { class: 'notice', i18n: 'trustee.decryptIntro' });
    if (k && k.share) {
      const btn = h('button', { type: 'button', class: 'btn btn-primary btn-huge', dataset: { action: 'decrypt' }, i18n: 'trustee.decrypt', disabled: busy });
      btn.addEventListener('click', () => act(() => send(k.share, k.secret.index), 'trustee.decrypting'));
      return step(4, 'trustee.step.decrypt', 'todo', intro, btn);
    }
    const btn = h('button', { type: 'submit', class: 'btn btn-primary btn-big', dataset: { action: 'decrypt-file' }, i18n: 'trustee.decryptFile', disabled: busy });
    const form = h('form', { class: 'form', novalidate: true, dataset: { form: 'decrypt' } }, fileIn.wrap, openPass.wrap, h('div', { class: 'actions' }, btn));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const f = fileIn.input.files && fileIn.input.files[0];
      if (!f) {
        setI18n(fileIn.error, 'trustee.err.noFile');
        fileIn.input.focus();
        return;
      }
      if (f.size > 64 * 1024) {
        setI18n(fileIn.error, 'trustee.err.keyFile');
        return;
      }
      act(async () => {
        let parsed;
        try {
          parsed = JSON.parse(await f.text());
        } catch {
          throw Object.assign(new Error('not JSON'), { code: 'bad_key_file' });
        }
        setI18n(statusEl, 'trustee.openingFile');
        const s = await readKeyFile(voteId, parsed, openPass.input.value);
        openPass.input.value = '';
        keepKey(voteId, { secret: s, share: s.share, saved: true });
        setI18n(statusEl, 'trustee.decrypting');
        await send(s.share, s.index);
      }, 'trustee.openingFile');
    });
    return step(4, 'trustee.step.decrypt', 'todo', intro, form);
  }

  const progress = h('div', { dataset: { trusteeProgress: '' } });
  let lastKey = null;
  function redraw() {
    if (!tr) return;
    // Rebuild only when something shown changed: a click must not land on a button being replaced.
    const k = localKey(voteId);
    const key = JSON.stringify([busy, vote.status, tr.threshold, tr.members.map((m) => [m.index, m.name, !!m.member, !!m.box_public_key, m.shares_sent]),
      tr.shares_for_me.length, board ? board.decryptions.map((d) => [d.group, d.index]) : null, k ? [!!k.secret, !!k.share, !!k.saved] : null]);
    if (key === lastKey) return;
    lastKey = key;
    const ready_ = tr.members.every((m) => m.member && m.shares_sent > 0);
    progress.replaceChildren(...[
      h('p', { i18n: 'trustee.threshold', i18nParams: { threshold: tr.threshold, total: tr.members.length } }),
      membersList(),
      h('p', { dataset: { ceremony: ready_ ? 'ready' : 'pending' }, i18n: ready_ ? 'trustee.ceremonyReady' : 'trustee.ceremonyPending' }),
      board && vote.status === 'counting'
        ? h('p', { dataset: { decryptions: String(board.decryptions.length) }, i18n: 'trustee.decryptionsSoFar', i18nParams: { count: board.decryptions.length } }) : null,
    ].filter(Boolean));
    // Keep the typed passphrase and chosen file: the fields are reused, not rebuilt.
    const active = document.activeElement;
    steps.replaceChildren(stepKey(), stepShares(), stepKeyFile(), stepDecrypt());
    if (active && active.isConnected && steps.contains(active)) active.focus();
  }

  await reload();
  const live = new MeetingLive(vote.meeting_id, { isStaff: false });
  let pollTimer = null;
  let stopped = false;
  try {
    await live.load();
    live.start();
    let t = null;
    for (const type of EVENTS) {
      live.stream.on(type, (ev) => {
        if (ev.payload && ev.payload.vote_id !== voteId) return;
        clearTimeout(t);
        t = setTimeout(() => {
          if (!busy) reload();
        }, 150);
      });
    }
  } catch {
    /* the poll below keeps the page current */
  }
  const poll = () => {
    pollTimer = setTimeout(async () => {
      if (stopped) return;
      if (!busy && vote.status !== 'closed') await reload();
      poll();
    }, POLL_MS);
  };
  poll();

  outlet.append(
    h('p', { class: 'eyebrow', i18n: 'trustee.eyebrow' }),
    h('h1', { i18n: 'trustee.title' }),
    h('p', { class: 'lead' }, vote.title),
    h('p', { class: 'notice', i18n: 'trustee.privacy' }),
    progress, statusEl, errorEl, steps,
    h('p', {}, h('a', { href: `/meetings/${encodeURIComponent(vote.meeting_id)}`, i18n: 'trustee.backToMeeting' })));
  return () => {
    stopped = true;
    clearTimeout(pollTimer);
    live.close();
  };
}
