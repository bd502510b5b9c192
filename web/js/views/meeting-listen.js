// views/meeting-listen.js — "/meetings/{id}/listen?t=S": the meeting's audio
// recording in a player that starts at S seconds (the protocol's and the
// public page's "listen from this item" links), with the agenda items the
// recording covers, each a button that moves the player there. The index is
// GET …/audio/index; the player seeks with HTTP ranges.

import { h } from '../dom.js';
import { get } from '../api.js';
import { failedView } from '../ui.js';
import { meetingName } from './meeting-ui.js';

export const titleKey = 'listen.title';

/** "m:ss" or "h:mm:ss". */
export function offsetText(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const two = (n) => String(n).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}` : `${Math.floor(s / 60)}:${two(s % 60)}`;
}

export async function render(outlet, { params, query }) {
  const base = `/api/meetings/${encodeURIComponent(params.id)}`;
  let details;
  let index;
  try {
    [details, index] = await Promise.all([get(base), get(`${base}/audio/index`)]);
  } catch (err) {
    return failedView(err, 'listen.unavailable');
  }
  const raw = Number.parseInt(query.get('t') || '0', 10);
  const start = Number.isFinite(raw) && raw > 0 ? raw : 0;
  // The media fragment starts the player at t; the buttons move it.
  const audio = h('audio', {
    controls: true, preload: 'metadata', src: `${base}/audio/recording.opus${start ? `#t=${start}` : ''}`,
    dataset: { start: String(start) }, i18nAttr: 'aria-label:listen.player',
  });
  const titles = new Map((details.agenda || []).map((it) => [it.id, `${it.position}. ${it.title}`]));
  const seen = new Set();
  const items = (index.marks || []).filter((m) => m.kind === 'item' && titles.has(m.id) && !seen.has(m.id) && seen.add(m.id));
  const list = items.length
    ? h('ol', { class: 'listen-items', dataset: { list: 'listen-items' } }, items.map((m) => {
      const b = h('button', { type: 'button', class: 'btn', dataset: { seek: String(Math.floor(m.offset_ms / 1000)) }, i18n: 'listen.from', i18nParams: { at: offsetText(m.offset_ms) } });
      b.addEventListener('click', () => {
        audio.currentTime = m.offset_ms / 1000;
        audio.play().catch(() => {}); // a browser may refuse to play before a gesture it counts
      });
      return h('li', {}, h('span', { class: 'listen-item-title' }, titles.get(m.id)), ' ', b);
    }))
    : h('p', { class: 'muted', i18n: 'listen.noItems' });
  return [
    h('section', { class: 'panel', 'aria-labelledby': 'listen-heading' },
      h('p', { class: 'eyebrow' }, details.body ? details.body.name : ''),
      h('h1', { id: 'listen-heading' }, h('span', { i18n: 'listen.heading' }), h('span', { class: 'h1-sub' }, meetingName(details))),
      start ? h('p', { class: 'field-hint', dataset: { listenStart: String(start) }, i18n: 'listen.startsAt', i18nParams: { at: offsetText(start * 1000) } }) : null,
      audio,
      h('h2', { i18n: 'listen.items' }),
      list,
      h('p', {}, h('a', { href: `${base}/audio/recording.opus`, download: '', i18n: 'listen.download' }))),
  ];
}
