// bench/connmem/bench.mjs — the server's resident memory per open event
// stream for several connection pool sizes (`connection_memory_kib`). The
// pool bounds the request headers libmicrohttpd can take (and so which
// oversized headers still get our JSON 431), and about half of it is touched
// per connection. Opens N streams with browser-sized headers per size and
// prints kB per stream from the server's VmRSS.
import net from 'node:net';
import fs from 'node:fs';
import { startServer, stopAll, sleep } from '../../tests/e2e/lib.mjs';

const N = Number.parseInt(process.argv[2] || '1000', 10);
const sizes = (process.argv[3] || '8,16,32').split(',').map(Number);
console.log('| pool KiB | streams | kB per stream |');
console.log('|---:|---:|---:|');
for (const kib of sizes) {
  const srv = await startServer({ config: { connection_memory_kib: kib } });
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${srv.proc.pid}/status`, 'utf8'))[1]);
  await sleep(500);
  const r0 = rss();
  const socks = [];
  for (let i = 0; i < N; i++) {
    const s = net.connect(srv.port, '127.0.0.1');
    s.on('error', () => {});
    s.on('connect', () => s.write(`GET /api/live HTTP/1.1\r\nHost: 127.0.0.1\r\n`
      + 'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36\r\n'
      + `Accept: text/event-stream\r\nAccept-Language: pl-PL,pl;q=0.9,en;q=0.8\r\nCookie: obrady_session=${'a'.repeat(43)}\r\n\r\n`));
    socks.push(s);
  }
  await sleep(3000);
  console.log(`| ${kib} | ${N} | ${((rss() - r0) / N).toFixed(1)} |`);
  socks.forEach((s) => s.destroy());
  await stopAll();
}
