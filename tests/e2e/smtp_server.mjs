// smtp_server.mjs — a real SMTP server for end-to-end tests: Debian's
// python3-aiosmtpd with its Mailbox handler, storing every message it accepts
// in a fresh Maildir (node built-ins only).
//
//   import { startSmtpServer } from './smtp_server.mjs';
//   const smtp = await startSmtpServer();
//   t.after(() => smtp.stop());
//   const srv = await startServer({ config: { mail_transport: 'smtp',
//     smtp_url: `smtp://127.0.0.1:${smtp.port}` } });
//   ...
//   const [raw] = await smtp.waitForMessages(1);
//
// Uses /usr/bin/python3 on purpose: the python3 first on PATH may be another
// interpreter without aiosmtpd. aiosmtpd adds X-Peer, X-MailFrom and X-RcptTo
// header lines to each message, and the Maildir stores LF line ends.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const PYTHON = '/usr/bin/python3';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A TCP port on 127.0.0.1 that was free a moment ago. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Resolves true once a TCP connection to port succeeds. */
function canConnect(port) {
  return new Promise((resolve) => {
    const c = net.connect({ host: '127.0.0.1', port });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/** Raw messages (Buffers) in the Maildir's new/ and cur/, oldest first. */
function readMaildir(maildir) {
  const files = [];
  for (const sub of ['new', 'cur']) {
    const dir = path.join(maildir, sub);
    let names = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue; // not created yet: no message has arrived
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const file = path.join(dir, name);
      files.push({ file, mtime: fs.statSync(file).mtimeMs });
    }
  }
  files.sort((a, b) => a.mtime - b.mtime || a.file.localeCompare(b.file));
  return files.map((f) => fs.readFileSync(f.file));
}

/**
 * Starts aiosmtpd on a free port of 127.0.0.1 and resolves once it accepts
 * connections. Returns {
 *   port, maildir,
 *   messages()                 raw messages received so far (array of Buffers),
 *   waitForMessages(n, ms)     resolves with the messages once there are n (default 1),
 *   stop()                     ends the server and removes the Maildir
 * }.
 */
export async function startSmtpServer({ timeoutMs = 10000 } = {}) {
  // Python's Maildir creates tmp/, new/ and cur/ only when the directory
  // itself does not exist yet, so it goes one level below the temporary one.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'obrady-smtp-'));
  const maildir = path.join(root, 'Maildir');
  const port = await freePort();
  const child = spawn(
    PYTHON,
    ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox',
      maildir],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });

  const cleanup = () => fs.rmSync(root, { recursive: true, force: true });
  const deadline = Date.now() + timeoutMs;
  while (!(await canConnect(port))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      cleanup();
      throw new Error(`aiosmtpd did not start on port ${port}: ${stderr.trim() ||
        JSON.stringify(exited)}`);
    }
    await sleep(50);
  }

  return {
    port,
    maildir,
    messages: () => readMaildir(maildir),
    async waitForMessages(n = 1, ms = timeoutMs) {
      const end = Date.now() + ms;
      for (;;) {
        const got = readMaildir(maildir);
        if (got.length >= n) return got;
        if (Date.now() > end) {
          throw new Error(`expected ${n} message(s) within ${ms} ms, got ${got.length}`);
        }
        await sleep(50);
      }
    },
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exitPromise;
        clearTimeout(t);
      }
      cleanup();
    },
  };
}
