// secret-lazy.js — the secret ballot without its weight: vote-secret.js and
// the crypto under it (libsodium, about 535 KB) are imported only when a
// secret vote is opened or shown, and fetched ahead (without running) while
// the member is idle in a meeting with a secret vote on the agenda. The panel
// stands in for vote-secret.js's panel at once and holds it when it arrives.
//
//   const p = lazySecretPanel(vote, { headingLevel: 3 });  // element with update(v), close()
//   primeElectionSoon(voteId, election);  // a vote.opened event's election
//   prefetchSecretSoon();                 // when a secret vote is on the agenda

import { h } from './dom.js';
import { preloadModule } from './preload.js';

let loading = null;

/** vote-secret.js and secret-election.js, imported once. */
export function loadSecret() {
  if (!loading) {
    preloadModule('js/vote-secret.js');
    loading = Promise.all([import('./vote-secret.js'), import('./secret-election.js')])
      .then(([panel, election]) => ({ ...panel, ...election }));
    loading.catch(() => {
      loading = null; // a later vote tries again
    });
  }
  return loading;
}

/** Fetches the secret ballot's files when the browser is idle; runs none of them. */
export function prefetchSecretSoon() {
  const go = () => {
    if (!loading) preloadModule('js/vote-secret.js');
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(go, { timeout: 5000 });
  else setTimeout(go, 2000);
}

/** Remembers the election a vote.opened event carried (see secret-election.js). */
export function primeElectionSoon(voteId, election) {
  loadSecret().then((m) => m.primeElection(voteId, election), () => {});
}

/** The secret ballot panel of vote: a holder that shows the real one once its code is here. */
export function lazySecretPanel(vote, opts) {
  let latest = vote;
  let real = null;
  let isClosed = false;
  const holder = h('div', { class: 'secret-holder', dataset: { secretLoading: vote.id } },
    h('p', { class: 'form-status', role: 'status', i18n: 'secret.loading' }));
  loadSecret().then((m) => {
    if (isClosed) return;
    real = m.secretVotePanel(latest, opts);
    delete holder.dataset.secretLoading;
    holder.replaceChildren(real);
  }, () => {
    if (!isClosed) holder.replaceChildren(h('p', { class: 'form-error', role: 'alert', i18n: 'secret.loadFailed' }));
  });
  holder.update = (v) => {
    latest = v;
    real?.update(v);
  };
  holder.close = () => {
    isClosed = true;
    real?.close();
  };
  holder.voteId = vote.id;
  return holder;
}
