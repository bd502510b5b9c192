// The SMTP mail transport (issue 3) against a real SMTP server: Debian's
// python3-aiosmtpd writing to a Maildir (smtp_server.mjs). The sign-in code is
// read from the delivered message and used to sign in.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, stopAll, api, newUser, requestCode, parseEml, extractCode, sessionCookieOf,
  makeClient, mailFiles, sql, sqlq, eventually, sleep,
} from './lib.mjs';
import { startSmtpServer } from './smtp_server.mjs';

after(stopAll);

const smtpConfig = (port) => ({ mail_transport: 'smtp', smtp_url: `smtp://127.0.0.1:${port}`, smtp_starttls: 'no' });

test('a sign-in code travels through a real SMTP server and signs the user in', async (t) => {
  const smtp = await startSmtpServer();
  t.after(() => smtp.stop());
  const srv = await startServer({ config: smtpConfig(smtp.port) });
  t.after(() => srv.stop());
  const email = 'Zofia.Smtp@Example.org';
  const addr = email.toLowerCase();
  await newUser(srv, addr, { name: 'Zofia Żółkiewska' });

  const r = await requestCode(srv, email, { lang: 'en' });
  assert.equal(r.status, 202, r.text);
  const [raw] = await smtp.waitForMessages(1, 10000);
  const msg = parseEml(raw);
  assert.match(String(msg.headers['x-rcptto']), new RegExp(addr.replace(/\./g, '\\.')), 'delivered to the address');
  assert.match(String(msg.headers.to), /Zofia Żółkiewska/, 'the UTF-8 display name survives');
  assert.match(String(msg.headers.subject), /sign-in code/i, 'English template when asked');
  assert.match(String(msg.headers['content-type']), /^multipart\/alternative/i);
  assert.ok(msg.headers['message-id'], 'Message-ID');
  assert.ok(msg.headers.date, 'Date');
  const code = extractCode(msg.text);
  assert.match(code || '', /^\d{6}$/, `code in the text part:\n${msg.text}`);
  assert.ok(msg.html.includes(code), 'and in the HTML part');

  // Not echoed on the console and not written to DATA/mail with the smtp transport.
  assert.ok(!srv.stdout().some((l) => l.includes(code) || /sign-in code for/.test(l)), `stdout:\n${srv.stdout().join('\n')}`);
  assert.equal(mailFiles(srv.dataDir).size, 0, 'no .eml files');
  assert.ok(!srv.logs().some((l) => l.includes(code)), 'the code is not in the log');

  const s = await api(srv, 'POST', '/api/auth/session', { email, code });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.user.email, addr);
  const c = makeClient(srv, sessionCookieOf(s).value, s.json.user);
  const me = await c.me();
  assert.equal(me.status, 200);
  assert.equal(me.json.user.name, 'Zofia Żółkiewska');

  // The sent sign-in message is wiped from the outbox.
  const row = await eventually(async () => {
    const v = await sql(srv, `SELECT status || '|' || subject || '|' || length(message) FROM outbox WHERE to_addr = ${sqlq(addr)}`);
    return v.startsWith('sent|') ? v : null;
  });
  assert.equal(row, 'sent||0', 'status sent, subject and message wiped');
  assert.equal(smtp.messages().length, 1, 'exactly one message');
});

test('an unreachable SMTP server: the request still answers 202 and the message waits in the outbox for a retry', async (t) => {
  const smtp = await startSmtpServer();
  const port = smtp.port;
  await smtp.stop(); // nothing listens there now
  const srv = await startServer({ config: smtpConfig(port) });
  t.after(() => srv.stop());
  const addr = 'retry@example.org';
  await newUser(srv, addr);
  const r = await requestCode(srv, addr);
  assert.equal(r.status, 202, r.text);
  const row = await eventually(async () => {
    const v = await sql(srv, `SELECT status || '|' || attempts || '|' || CASE WHEN last_error IS NOT NULL THEN 1 ELSE 0 END || '|' || CASE WHEN next_attempt_ms > ${Date.now()} THEN 1 ELSE 0 END FROM outbox WHERE to_addr = ${sqlq(addr)}`);
    return /\|1\|/.test(v) ? v : null;
  }, 8000);
  assert.equal(row, 'pending|1|1|1', 'one failed attempt recorded, retried later (status|attempts|has error|due later)');
  assert.equal((await api(srv, 'GET', '/healthz')).status, 200, 'the server is fine');
  await sleep(10);
});
