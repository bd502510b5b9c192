// secret-console.js — the console's fields for a SECRET vote in the "new
// vote" form (views/vote-console.js): open or secret; for a secret vote who
// holds the key — the server alone (result right after the close) or the
// server with the meeting's scrutiny committee (threshold t of its
// members; the committee runs the key ceremony before the vote can open and
// decrypts after the close).
//
//   const sf = secretFields();
//   form.append(sf.wrap);  ...  sf.apply(body);   // sets kind, trustees, threshold

import { h } from './dom.js';
import { field } from './ui.js';

export function secretFields() {
  const kind = field({ name: 'kind', label: 'secret.console.kind', tag: 'select', options: [['open', 'secret.console.kindOpen'], ['secret', 'secret.console.kindSecret']], value: 'open' });
  const trustees = field({
    name: 'trustees', label: 'secret.console.trustees', hint: 'secret.console.trusteesHint', tag: 'select',
    options: [['server', 'secret.console.trusteesServer'], ['committee', 'secret.console.trusteesCommittee']], value: 'server',
  });
  const threshold = field({ name: 'threshold', label: 'secret.console.threshold', hint: 'secret.console.thresholdHint', type: 'number', attrs: { min: '1', max: '50', step: '1', inputmode: 'numeric' } });
  const secretBox = h('div', { class: 'secret-fields', dataset: { fields: 'secret' } }, trustees.wrap, threshold.wrap);
  const sync = () => {
    secretBox.hidden = kind.input.value !== 'secret';
    threshold.wrap.hidden = trustees.input.value !== 'committee';
  };
  kind.input.addEventListener('change', sync);
  trustees.input.addEventListener('change', sync);
  sync();
  return {
    wrap: h('div', {}, kind.wrap, secretBox),
    /** Fills body for the API; a secret ballot can never be changed. */
    apply(body) {
      if (kind.input.value !== 'secret') return;
      body.kind = 'secret';
      body.allow_change = false;
      body.trustees = trustees.input.value;
      // The server checks the range against the committee (422 names the field).
      const t = Number.parseInt(threshold.input.value, 10);
      if (body.trustees === 'committee' && Number.isInteger(t)) body.threshold = t;
    },
  };
}
