// nginx.mjs — runs Debian's nginx with docs/nginx-site.conf in front of an
// obrady, in a temporary prefix on free ports (works as root and not):
//   const ng = await startNginx({ upstreamPort: srv.port });
//   ng.url (https://127.0.0.1:PORT), ng.logs(), await ng.stop()
// The sample site is used as written; only its ports, certificate paths and
// upstream address are substituted, so a broken sample fails the tests.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { REPO, freeTmpDir, sleep } from './lib.mjs';

export const NGINX = '/usr/sbin/nginx';
export const hasNginx = () => fs.existsSync(NGINX);

/** A port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The sample site with test ports, a self-signed certificate and the upstream. */
export function siteForTest({ upstreamPort, tlsPort, httpPort, cert, key }) {
  let site = fs.readFileSync(path.join(REPO, 'docs', 'nginx-site.conf'), 'utf8');
  const sub = (from, to) => {
    if (!site.includes(from)) throw new Error(`docs/nginx-site.conf no longer has "${from}"`);
    site = site.split(from).join(to);
  };
  sub('server 127.0.0.1:8080;', `server 127.0.0.1:${upstreamPort};`);
  sub('listen 443 ssl http2;', `listen 127.0.0.1:${tlsPort} ssl http2;`);
  sub('listen [::]:443 ssl http2;', '');
  sub('listen 80;', `listen 127.0.0.1:${httpPort};`);
  sub('listen [::]:80;', '');
  sub('/etc/letsencrypt/live/obrady.example.pl/fullchain.pem', cert);
  sub('/etc/letsencrypt/live/obrady.example.pl/privkey.pem', key);
  return site;
}

/** nginx.conf for a prefix dir: logs and temp paths inside it, including dir/site.conf. */
export function mainConfig(dir, { workerConnections = 512, workers = 1, rlimit = 0 } = {}) {
  return `
worker_processes ${workers};
${rlimit ? `worker_rlimit_nofile ${rlimit};` : ''}
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections ${workerConnections}; }
http {
    access_log ${dir}/access.log;
    client_body_temp_path ${dir}/body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    include ${dir}/site.conf;
}
`;
}

export async function startNginx({ upstreamPort }) {
  const dir = freeTmpDir('obrady-nginx-');
  fs.chmodSync(dir, 0o755); // the workers (nobody, when we are root) use temp dirs here
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
    '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  const tlsPort = await freePort();
  const httpPort = await freePort();
  fs.writeFileSync(path.join(dir, 'site.conf'), siteForTest({ upstreamPort, tlsPort, httpPort, cert, key }));
  fs.writeFileSync(path.join(dir, 'nginx.conf'), mainConfig(dir));
  const proc = spawn(NGINX, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf'),
    '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { out += d; });
  const exited = new Promise((r) => proc.on('close', (code) => r(code)));
  // Ready once it accepts on the TLS port.
  const deadline = Date.now() + 10000;
  for (;;) {
    const up = await new Promise((r) => {
      const s = net.connect(tlsPort, '127.0.0.1', () => { s.destroy(); r(true); });
      s.on('error', () => r(false));
    });
    if (up) break;
    if (proc.exitCode !== null || Date.now() > deadline) {
      throw new Error(`nginx did not start: ${out}\n${readOr(path.join(dir, 'error.log'))}`);
    }
    await sleep(50);
  }
  return {
    url: `https://127.0.0.1:${tlsPort}`,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    port: tlsPort,
    dir,
    logs: () => readOr(path.join(dir, 'error.log')) + out,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGQUIT');
      await Promise.race([exited, sleep(5000)]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readOr(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
