// live.js — a client for the server's event streams (GET /api/live, and
// /api/meetings/{id}/events for meeting pages). Wraps EventSource, hands each
// event, parsed, to the listeners of its type, keeps the last seq so that a
// fresh connection resumes where the old one stopped, and reports one simple
// connection state for indicators: "connecting", "open" or "offline".
//
//   const live = new LiveStream('/api/meetings/42/events');
//   live.on('vote.opened', (ev) => show(ev.payload));   // ev = {seq, ts, type, actor, payload, hash}
//   live.onState((state) => indicator(state));
//   live.start();   ...   live.close();

const MAX_BACKOFF_MS = 30000;

export class LiveStream {
  /**
   * url: the stream's path. since: start after this seq (default: the
   * server's default, the whole log). Nothing connects before start().
   */
  constructor(url, { since = null } = {}) {
    this.url = url;
    this.lastSeq = since;
    this.state = 'connecting';
    this.es = null;
    this.handlers = new Map(); // type -> Set(fn)
    this.stateHandlers = new Set();
    this.attached = new Set(); // types with a listener on the current EventSource
    this.failures = 0;
    this.retryTimer = null;
    this.closed = true;
    this.onOnline = () => {
      if (this.state !== 'open') this.reconnectNow();
    };
    this.onOffline = () => this.setState('offline');
    this.onVisible = () => {
      if (document.visibilityState === 'visible' && this.state === 'offline') this.reconnectNow();
    };
  }

  /** Subscribes fn(event) to events of one type ("message" for unnamed ones); returns an unsubscribe function. */
  on(type, fn) {
    if (!this.handlers.has(type)) this.handlers.set(type, new Set());
    this.handlers.get(type).add(fn);
    if (this.es) this.attach(type);
    return () => this.handlers.get(type)?.delete(fn);
  }

  /** Subscribes fn(state) to connection state changes and calls it once now; returns an unsubscribe function. */
  onState(fn) {
    this.stateHandlers.add(fn);
    fn(this.state);
    return () => this.stateHandlers.delete(fn);
  }

  /** Connects and keeps reconnecting until close(). */
  start() {
    if (!this.closed) return this;
    this.closed = false;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    document.addEventListener('visibilitychange', this.onVisible);
    if (navigator.onLine === false) this.setState('offline');
    this.connect();
    return this;
  }

  /** Disconnects for good and forgets no listeners (start() again resumes from lastSeq). */
  close() {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.dropEventSource();
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    document.removeEventListener('visibilitychange', this.onVisible);
    this.setState('offline');
  }

  setState(state) {
    if (state === this.state) return;
    this.state = state;
    for (const fn of this.stateHandlers) fn(state);
  }

  streamUrl() {
    if (this.lastSeq === null || this.lastSeq === undefined) return this.url;
    const u = new URL(this.url, window.location.href);
    u.searchParams.set('since', String(this.lastSeq));
    return u.pathname + u.search;
  }

  connect() {
    this.dropEventSource();
    if (this.state !== 'offline') this.setState('connecting');
    // A new EventSource sends no Last-Event-ID, so resume with ?since=; the
    // browser's own reconnects of this one send Last-Event-ID by themselves.
    const es = new EventSource(this.streamUrl(), { withCredentials: false });
    this.es = es;
    es.onopen = () => {
      this.failures = 0;
      this.setState('open');
    };
    es.onerror = () => {
      if (es !== this.es) return;
      if (es.readyState === EventSource.CLOSED) {
        // The browser gave up (HTTP error, wrong type): retry ourselves.
        this.setState('offline');
        this.scheduleReconnect();
      } else {
        // The browser is retrying: a dropped stream is "connecting", a failed retry "offline".
        this.setState(this.state === 'open' ? 'connecting' : 'offline');
      }
    };
    this.attach('server.stopping'); // the server says it is going away: expect a reconnect
    for (const type of this.handlers.keys()) this.attach(type);
  }

  attach(type) {
    if (this.attached.has(type)) return;
    this.attached.add(type);
    this.es.addEventListener(type, (msg) => this.dispatch(type, msg));
  }

  dispatch(type, msg) {
    const seq = msg.lastEventId === '' ? null : Number(msg.lastEventId);
    if (seq !== null && Number.isFinite(seq)) {
      if (this.lastSeq !== null && seq <= this.lastSeq) return; // already seen
      this.lastSeq = seq;
    }
    let event;
    try {
      event = JSON.parse(msg.data);
    } catch {
      console.warn(`live: ${this.url}: event ${type} carries no JSON`);
      return;
    }
    if (type === 'server.stopping') this.setState('connecting');
    for (const fn of this.handlers.get(type) ?? []) {
      try {
        fn(event);
      } catch (err) {
        // One broken listener must not starve the others; errors.js reports it.
        setTimeout(() => {
          throw err;
        });
      }
    }
  }

  dropEventSource() {
    if (this.es) {
      this.es.onopen = null;
      this.es.onerror = null;
      this.es.close();
      this.es = null;
    }
    this.attached.clear();
  }

  scheduleReconnect() {
    if (this.closed || this.retryTimer) return;
    const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.failures);
    this.failures++;
    const delay = base / 2 + Math.random() * (base / 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  reconnectNow() {
    if (this.closed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.failures = 0;
    // An explicit retry (back online, page visible again) is news worth showing;
    // the quiet background retries are not, so they keep "offline".
    if (navigator.onLine !== false) this.setState('connecting');
    this.connect();
  }
}
