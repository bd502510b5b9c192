// errors.js — reports the browser's own uncaught errors to POST
// /api/client-errors so that operators see failures on members' phones.
// Fields are cut to the server's limits; at most MAX_REPORTS per page load,
// each distinct message once. Reporting never throws and never reports itself.

const ENDPOINT = '/api/client-errors';
const MAX_REPORTS = 5;
const MAX_BODY_BYTES = 8192;
const LIMITS = { message: 1000, page: 300, source: 300, stack: 4000 };

let sent = 0;
const seen = new Set();
const encoder = new TextEncoder();

/** Cuts s to at most maxBytes of UTF-8 (so also at most that many characters), never inside a character. */
export function truncate(s, maxBytes) {
  const str = String(s ?? '');
  if (encoder.encode(str).length <= maxBytes) return str;
  let out = '';
  let bytes = 0;
  for (const ch of str) {
    const n = encoder.encode(ch).length;
    if (bytes + n > maxBytes - 3) break; // room for the ellipsis (3 bytes)
    out += ch;
    bytes += n;
  }
  return `${out}…`;
}

/** The current page without secrets: meeting access links (/m/<token>) lose their token; no query or hash. */
export function pageForReport(loc = window.location) {
  return loc.pathname.replace(/^\/m\/[^/]+/, '/m/_');
}

function toInt(v) {
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** Builds the report body from error details, within the contract's limits. */
export function buildReport({ message, source, line, column, stack }) {
  const report = {
    message: truncate(message || 'Unknown error', LIMITS.message),
    page: truncate(pageForReport(), LIMITS.page),
  };
  if (source) report.source = truncate(source, LIMITS.source);
  if (toInt(line) !== undefined) report.line = toInt(line);
  if (toInt(column) !== undefined) report.column = toInt(column);
  if (stack) report.stack = truncate(stack, LIMITS.stack);
  // JSON escaping can grow the text; shorten the stack until the body fits.
  while (report.stack && encoder.encode(JSON.stringify(report)).length > MAX_BODY_BYTES) {
    report.stack = truncate(report.stack, Math.floor(encoder.encode(report.stack).length / 2));
  }
  return report;
}

/** Sends one report unless the page already sent MAX_REPORTS or this message. */
export function reportError(details) {
  if (sent >= MAX_REPORTS) return;
  const report = buildReport(details);
  const id = `${report.message}|${report.source ?? ''}|${report.line ?? ''}`;
  if (seen.has(id)) return;
  seen.add(id);
  sent++;
  try {
    fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(report),
      credentials: 'same-origin',
      keepalive: true,
    }).catch(() => {});
  } catch {
    /* reporting is best effort */
  }
}

function messageOf(value) {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

let installed = false;

/** Starts reporting window errors and unhandled promise rejections (idempotent). */
export function installErrorReporting() {
  if (installed) return;
  installed = true;
  window.addEventListener('error', (ev) => {
    reportError({
      message: ev.error ? messageOf(ev.error) : ev.message,
      source: ev.filename,
      line: ev.lineno,
      column: ev.colno,
      stack: ev.error && ev.error.stack,
    });
  });
  window.addEventListener('unhandledrejection', (ev) => {
    const r = ev.reason;
    reportError({
      message: `Unhandled rejection: ${messageOf(r)}`,
      stack: r instanceof Error ? r.stack : undefined,
    });
  });
}
