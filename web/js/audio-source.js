// audio-source.js — the operator's live audio source: the chosen input
// (the room's mixer) captured by an AudioWorklet, encoded in the browser by
// WebCodecs AudioEncoder to Opus (mono, 32 kbps by default), and sent to the
// server in small batches over HTTP POST every half second. Every packet has
// a sequence number and a timestamp; the server answers with the next seq it
// wants, so a batch lost to a network drop is simply sent again (duplicates
// are dropped there) — up to QUEUE_MAX of backlog, older packets become a
// gap that the server fills with silence in the recording. See docs/audio.md.

import { post, ApiError } from './api.js';

const BATCH_MS = 500;
const QUEUE_MAX = 1500; // 30 s of 20 ms packets
const BATCH_MAX = 250;  // packets per request (a resent backlog goes in steps)
const RETRY_MS = 1000;

/** 'ok', 'insecure' (no microphone or encoder outside HTTPS) or 'no-webcodecs'. */
export function audioSupport() {
  if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return 'insecure';
  if (typeof window.AudioEncoder === 'undefined' || typeof window.AudioData === 'undefined' || typeof window.AudioWorkletNode === 'undefined') return 'no-webcodecs';
  return 'ok';
}

/** The audio inputs; labels appear once the page has the microphone permission. */
export async function audioInputs() {
  const all = await navigator.mediaDevices.enumerateDevices().catch(() => []);
  return all.filter((d) => d.kind === 'audioinput');
}

function randomId() {
  const b = new Uint8Array(18);
  crypto.getRandomValues(b);
  return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_');
}

/** One packet batch: "OBA1", then per packet seq u32, timestamp µs u64, length u16, data. */
export function encodeBatch(packets) {
  let len = 4;
  for (const p of packets) len += 14 + p.data.length;
  const out = new Uint8Array(len);
  const dv = new DataView(out.buffer);
  out.set([0x4f, 0x42, 0x41, 0x31], 0);
  let i = 4;
  for (const p of packets) {
    dv.setUint32(i, p.seq);
    dv.setBigUint64(i + 4, BigInt(Math.max(0, Math.round(p.ts))));
    dv.setUint16(i + 12, p.data.length);
    out.set(p.data, i + 14);
    i += 14 + p.data.length;
  }
  return out;
}

export class AudioSource {
  /**
   * base: "/api/meetings/{id}"; onLevel(peak 0..1); onState(state, detail):
   * 'live' | 'reconnecting' | 'stopped' | 'taken-over' | 'failed'.
   */
  constructor(base, { onLevel = () => {}, onState = () => {} } = {}) {
    this.base = base;
    this.onLevel = onLevel;
    this.onState = onState;
    this.queue = [];
    this.seq = 0;
    this.frames = 0;
    this.sending = false;
    this.running = false;
  }

  /** Claims the broadcast (ApiError 409 audio_busy names who holds it), then captures. */
  async start({ deviceId = '', bitrate = 32, takeOver = false } = {}) {
    this.sourceId = this.sourceId || randomId();
    await post(`${this.base}/audio/source`, { source_id: this.sourceId, take_over: takeOver });
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: {
          deviceId: deviceId ? { exact: deviceId } : undefined,
          channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false,
        },
      });
      this.ctx = new AudioContext({ sampleRate: 48000 });
      await this.ctx.audioWorklet.addModule('/js/audio-worklet.js');
      this.node = new AudioWorkletNode(this.ctx, 'obrady-capture');
      this.input = this.ctx.createMediaStreamSource(this.stream);
      const mute = this.ctx.createGain();
      mute.gain.value = 0; // keeps the graph pulling without playing the room back
      this.input.connect(this.node).connect(mute).connect(this.ctx.destination);
      this.encoder = new AudioEncoder({
        output: (chunk) => this.onChunk(chunk),
        error: (e) => this.fail(e),
      });
      this.encoder.configure({
        codec: 'opus', sampleRate: 48000, numberOfChannels: 1, bitrate: Math.round(bitrate) * 1000,
        opus: { frameDuration: 20000 },
      });
      this.node.port.onmessage = (e) => this.onBlock(e.data);
      await this.ctx.resume();
    } catch (err) {
      await this.release();
      await post(`${this.base}/audio/source/stop`, { source_id: this.sourceId }).catch(() => {});
      throw err;
    }
    this.running = true;
    this.timer = setInterval(() => this.flush(), BATCH_MS);
    this.onState('live');
  }

  onBlock({ samples, peak }) {
    this.onLevel(peak);
    if (!this.encoder || this.encoder.state !== 'configured') return;
    const data = new AudioData({
      format: 'f32-planar', sampleRate: 48000, numberOfFrames: samples.length, numberOfChannels: 1,
      timestamp: Math.round((this.frames * 1e6) / 48000), data: samples,
    });
    this.frames += samples.length;
    this.encoder.encode(data);
    data.close();
  }

  onChunk(chunk) {
    const data = new Uint8Array(chunk.byteLength);
    chunk.copyTo(data);
    this.queue.push({ seq: this.seq++, ts: chunk.timestamp, data });
    if (this.queue.length > QUEUE_MAX) this.queue.splice(0, this.queue.length - QUEUE_MAX);
  }

  async flush() {
    if (this.sending || !this.queue.length) return;
    this.sending = true;
    const batch = this.queue.slice(0, BATCH_MAX);
    try {
      const res = await fetch(`${this.base}/audio/packets?source=${encodeURIComponent(this.sourceId)}`, {
        method: 'POST', credentials: 'same-origin', body: encodeBatch(batch),
        headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
      });
      const j = await res.json().catch(() => null);
      if (res.ok && j) {
        const next = j.next_seq;
        this.queue = this.queue.filter((p) => p.seq >= next);
        this.onState('live');
      } else if (res.status === 409 && j && j.error && j.error.code === 'audio_not_source') {
        await this.resume();
      } else if (res.status === 400 || res.status === 413) {
        // Cannot happen with our encoder; dropping the batch keeps the rest flowing.
        this.queue = this.queue.slice(batch.length);
      } else {
        this.onState('reconnecting');
      }
    } catch {
      this.onState('reconnecting'); // offline: the batch stays queued and goes again
    } finally {
      this.sending = false;
    }
    if (this.running && this.queue.length > BATCH_MAX) setTimeout(() => this.flush(), 0);
  }

  /** After a drop long enough for the server to end the source: claim it again
   * (unless someone else took over). The server filled the gap with silence,
   * so the backlog from before is dropped rather than appended late. */
  async resume() {
    try {
      await post(`${this.base}/audio/source`, { source_id: this.sourceId, take_over: false });
      this.queue = this.queue.slice(-Math.ceil(BATCH_MS / 20));
      this.onState('live');
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        const who = err.body && err.body.error && err.body.error.broadcaster;
        await this.release();
        this.onState('taken-over', who ? who.name : '');
      } else {
        this.onState('reconnecting');
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  fail(err) {
    this.release();
    this.onState('failed', String(err && err.message ? err.message : err));
  }

  async release() {
    this.running = false;
    clearInterval(this.timer);
    try {
      if (this.encoder && this.encoder.state !== 'closed') this.encoder.close();
    } catch {
      /* already closed */
    }
    this.encoder = null;
    if (this.stream) this.stream.getTracks().forEach((t) => t.stop());
    this.stream = null;
    if (this.ctx) await this.ctx.close().catch(() => {});
    this.ctx = null;
  }

  /** Sends what is left, then ends the broadcast. */
  async stop() {
    // Cut the capture first: what was said before the click is all that goes out.
    if (this.node) this.node.port.onmessage = null;
    if (this.input) this.input.disconnect();
    if (this.encoder && this.encoder.state === 'configured') await this.encoder.flush().catch(() => {});
    this.running = false;
    clearInterval(this.timer);
    while (this.sending) await new Promise((r) => setTimeout(r, 50));
    await this.flush();
    await this.release();
    await post(`${this.base}/audio/source/stop`, { source_id: this.sourceId }).catch(() => {});
    this.onState('stopped');
  }
}
