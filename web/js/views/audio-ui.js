// views/audio-ui.js — the audio parts of the meeting views: the operator's
// "Start audio" panel (input picker, bitrate, level meter, take-over when
// someone else broadcasts, clear messages when the browser cannot do it) and
// the "Listen" control of the member and public views (play, volume, how far
// behind the room, the external video link beside it while the meeting runs).

import { h } from '../dom.js';
import { setI18n } from '../i18n.js';
import { get, ApiError } from '../api.js';
import { AudioSource, audioSupport, audioInputs } from '../audio-source.js';
import { field, uid } from '../ui.js';

const LIVE_EDGE_S = 1; // batch interval and encoder delay: what the stream itself cannot show

/** The operator's panel. base: "/api/meetings/{id}"; kbps: the body's default bitrate. */
export function audioConsolePanel(base, { kbps = 32 } = {}) {
  const headingId = uid('aud');
  const msg = h('p', { class: 'audio-msg', role: 'status', 'aria-live': 'polite' });
  const support = audioSupport();
  const panel = h('section', { class: 'panel console-panel audio-panel', 'aria-labelledby': headingId, dataset: { panel: 'audio' } },
    h('h2', { id: headingId, i18n: 'audio.heading' }));
  if (support !== 'ok') {
    setI18n(msg, support === 'insecure' ? 'audio.insecure' : 'audio.noWebCodecs');
    msg.classList.add('audio-problem');
    panel.append(msg);
    return { el: panel, close() {} };
  }
  const device = field({ name: 'audio-device', label: 'audio.device', tag: 'select', options: [['', 'audio.deviceDefault']] });
  const bitrate = field({
    name: 'audio-bitrate', label: 'audio.bitrate', tag: 'select', value: String([16, 24, 32, 48, 64].includes(kbps) ? kbps : 32),
    options: [['16', 'audio.kbps16'], ['24', 'audio.kbps24'], ['32', 'audio.kbps32'], ['48', 'audio.kbps48'], ['64', 'audio.kbps64']],
  });
  const meter = h('meter', { class: 'audio-meter', min: '0', max: '1', low: '0.6', high: '0.9', optimum: '0.3', value: '0', i18nAttr: 'aria-label:audio.level' });
  const startBtn = h('button', { type: 'button', class: 'btn btn-primary', i18n: 'audio.start', dataset: { action: 'audio-start' } });
  const stopBtn = h('button', { type: 'button', class: 'btn btn-danger-outline', i18n: 'audio.stop', hidden: true, dataset: { action: 'audio-stop' } });
  const takeBtn = h('button', { type: 'button', class: 'btn', i18n: 'audio.takeOver', hidden: true, dataset: { action: 'audio-take-over' } });
  let source = null;

  const fillDevices = async () => {
    const inputs = await audioInputs();
    const keep = device.input.value;
    device.input.replaceChildren(h('option', { value: '', i18n: 'audio.deviceDefault' }),
      ...inputs.filter((d) => d.deviceId && d.deviceId !== 'default').map((d, i) => h('option', { value: d.deviceId }, d.label || `#${i + 1}`)));
    device.input.value = keep;
  };
  fillDevices();

  const onState = (state, detail) => {
    const live = state === 'live' || state === 'reconnecting';
    startBtn.hidden = live;
    stopBtn.hidden = !live;
    device.input.disabled = live;
    bitrate.input.disabled = live;
    panel.dataset.state = state;
    if (state === 'live') setI18n(msg, 'audio.live');
    else if (state === 'reconnecting') setI18n(msg, 'audio.reconnecting');
    else if (state === 'taken-over') setI18n(msg, 'audio.takenOver', { name: detail || '' });
    else if (state === 'failed') setI18n(msg, 'audio.failed');
    else setI18n(msg, 'audio.stopped');
    if (!live) meter.value = 0;
  };

  const begin = async (takeOver) => {
    takeBtn.hidden = true;
    startBtn.disabled = true;
    source = new AudioSource(base, { onLevel: (p) => { meter.value = p; }, onState });
    try {
      await source.start({ deviceId: device.input.value, bitrate: Number(bitrate.input.value), takeOver });
      fillDevices(); // labels appear once permission is given
    } catch (err) {
      source = null;
      if (err instanceof ApiError && err.code === 'audio_busy') {
        const who = err.body && err.body.error && err.body.error.broadcaster;
        setI18n(msg, 'audio.busy', { name: who ? who.name : '' });
        takeBtn.hidden = false;
      } else if (err && (err.name === 'NotAllowedError' || err.name === 'SecurityError')) {
        setI18n(msg, 'audio.denied');
      } else if (err && err.name === 'NotFoundError') {
        setI18n(msg, 'audio.noDevice');
      } else {
        setI18n(msg, 'audio.failed');
      }
    } finally {
      startBtn.disabled = false;
    }
  };
  startBtn.addEventListener('click', () => begin(false));
  takeBtn.addEventListener('click', () => begin(true));
  stopBtn.addEventListener('click', async () => {
    stopBtn.disabled = true;
    if (source) await source.stop();
    source = null;
    stopBtn.disabled = false;
  });

  panel.append(h('div', { class: 'audio-settings' }, device.wrap, bitrate.wrap),
    h('div', { class: 'audio-controls' }, startBtn, stopBtn, takeBtn, meter), msg,
    h('p', { class: 'hint', i18n: 'audio.mixerHint' }));
  return {
    el: panel,
    close() {
      if (source) source.stop();
    },
  };
}

/**
 * The listener's control. id: the meeting; broadcastUrl: the external video
 * link (or ''); live: the MeetingLive whose status hides both after the end.
 */
export function listenPanel(id, { broadcastUrl = '', live = null } = {}) {
  const base = `/api/meetings/${encodeURIComponent(id)}`;
  const headingId = uid('lis');
  const audio = h('audio', { preload: 'none', class: 'audio-element' });
  const playBtn = h('button', { type: 'button', class: 'btn btn-primary', i18n: 'audio.listen', 'aria-pressed': 'false', dataset: { action: 'listen' } });
  const volId = uid('vol');
  const volume = h('input', { id: volId, type: 'range', min: '0', max: '1', step: '0.05', value: '1', class: 'audio-volume' });
  const status = h('p', { class: 'audio-msg', role: 'status', 'aria-live': 'polite', dataset: { region: 'listen-status' } });
  const video = broadcastUrl
    ? h('a', { href: broadcastUrl, rel: 'noopener noreferrer', target: '_blank', class: 'btn', i18n: 'meeting.broadcast' })
    : null;
  const panel = h('section', { class: 'panel listen-panel', 'aria-labelledby': headingId, dataset: { panel: 'listen' } },
    h('h2', { id: headingId, i18n: 'audio.listenHeading' }),
    h('div', { class: 'audio-controls' }, playBtn,
      h('label', { for: volId, class: 'audio-volume-label', i18n: 'audio.volume' }), volume, video),
    status, audio);
  let playing = false;
  let retry = null;
  let poll = null;

  const connect = () => {
    audio.src = `${base}/audio?t=${Date.now()}`;
    audio.play().catch(() => {});
  };
  const checkLive = async () => {
    try {
      const st = await get(`${base}/audio/status`);
      if (!playing) return;
      if (st.is_live) connect();
      else {
        setI18n(status, 'audio.interrupted');
        retry = setTimeout(checkLive, 3000);
      }
    } catch {
      retry = setTimeout(checkLive, 3000);
    }
  };
  const onBreak = () => {
    if (!playing) return;
    setI18n(status, 'audio.interrupted');
    clearTimeout(retry);
    retry = setTimeout(checkLive, 1500);
  };
  audio.addEventListener('error', onBreak);
  audio.addEventListener('ended', onBreak);
  audio.addEventListener('playing', () => setI18n(status, 'audio.playing'));
  volume.addEventListener('input', () => { audio.volume = Number(volume.value); });

  playBtn.addEventListener('click', async () => {
    playing = !playing;
    playBtn.setAttribute('aria-pressed', String(playing));
    setI18n(playBtn, playing ? 'audio.pause' : 'audio.listen');
    clearTimeout(retry);
    clearInterval(poll);
    if (!playing) {
      audio.pause();
      audio.removeAttribute('src');
      audio.load();
      setI18n(status, 'audio.paused');
      return;
    }
    setI18n(status, 'audio.connecting');
    checkLive();
    poll = setInterval(() => {
      if (!playing || audio.paused || !audio.buffered.length) return;
      const behind = Math.max(0, audio.buffered.end(audio.buffered.length - 1) - audio.currentTime) + LIVE_EDGE_S;
      setI18n(status, 'audio.behind', { n: Math.round(behind) });
    }, 1000);
  });

  // After the meeting: no live control and no video link; the recording,
  // where this person may have it (staff; everyone for a public meeting).
  const recording = h('p', { class: 'audio-recording', hidden: true },
    h('a', { href: `/meetings/${encodeURIComponent(id)}/listen`, class: 'btn', i18n: 'audio.listenPage', dataset: { action: 'listen-page' } }), ' ',
    h('a', { href: `${base}/audio/recording.opus`, class: 'btn', download: '', i18n: 'audio.recording', dataset: { action: 'recording' } }));
  let wasOver = false;
  const update = (st) => {
    const over = !!st && (st.status === 'closed' || st.status === 'archived');
    panel.hidden = over;
    if (over && playing) playBtn.click();
    if (over && !wasOver) {
      get(`${base}/audio/status`).then((s) => { recording.hidden = !s.can_download; }).catch(() => {});
    }
    wasOver = over;
  };
  // The log says at once when the room's source stops or starts again; the
  // stream itself ends only after the listener's buffer has played out.
  const onAudioEvent = (ev) => {
    if (!playing) return;
    if (ev.type === 'audio.stopped') onBreak();
    else if (ev.type === 'audio.started') {
      clearTimeout(retry);
      checkLive();
    }
  };
  let off = null;
  let offEvents = null;
  if (live) {
    update(live.state);
    off = live.onChange(update);
    offEvents = live.onEvent(onAudioEvent);
  }
  return {
    el: h('div', { class: 'listen-wrap' }, panel, recording),
    close() {
      playing = false;
      clearTimeout(retry);
      clearInterval(poll);
      audio.pause();
      audio.removeAttribute('src');
      if (off) off();
      if (offEvents) offEvents();
    },
  };
}
