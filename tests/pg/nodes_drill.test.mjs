// Drill (issue 12): three obrady nodes on one PostgreSQL database behind
// nginx (tests/pg/nodes.mjs). 100 members vote in a secret vote opened
// through node 1 while 200 event streams (two per member) are spread over the
// nodes by nginx; node 2 is SIGKILLed in the middle of the ballots. Its
// streams reconnect through nginx with Last-Event-ID and miss nothing; every
// acknowledged ballot counts once (ballots cut off by the kill are resent with
// the same ballot_id until acknowledged, so the tally must equal the ledger);
// the deadline closes the vote exactly once (one vote.closed); the report
// mail goes to every member once, whichever node sends it.
// Needs cross-node NOTIFY/LISTEN (live events) and jobs taken by one node.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';

import { stopAll, demoIds, createMeeting, openSSE, newMails, sleep, ok, SESSION_COOKIE } from '../e2e/lib.mjs';
import { ready } from '../../web/js/evote/sodium.js';
import { parseElection } from '../../web/js/evote/election.js';
import { registerVoterKeys, ballotOf } from '../e2e/voter_keys.mjs';
import { growCouncil } from '../drills/council.mjs';
import { startInstallation, signInVia, signInManyVia, psqlRows } from './nodes.mjs';
import { DEMO } from '../e2e/lib.mjs';

after(stopAll);

const MEMBERS = 100;
const STREAMS = 200;
const DURATION_S = 30;
const REPORT_SUBJECT = /Protokół głosowania tajnego: Drill węzłów/;

/** One subscriber: a stream through the balancer that reconnects with Last-Event-ID when it ends. */
function subscriber(lbUrl, meetingId, cookie, fromSeq) {
  const sub = { seqs: [], types: [], nodes: [], reconnects: 0, closed: null, error: null, stop: false, cur: null };
  const url = `${lbUrl}/api/meetings/${meetingId}/events`;
  const headers = { cookie: `${SESSION_COOKIE}=${cookie}` };
  sub.done = (async () => {
    let last = fromSeq;
    while (!sub.stop) {
      let s;
      try {
        s = await openSSE(url, { lastEventId: last, headers, timeoutMs: 15000 });
      } catch (e) {
        sub.reconnects++;
        await sleep(200);
        continue;
      }
      if (s.status !== 200) {
        sub.reconnects++;
        await sleep(200);
        continue;
      }
      sub.cur = s;
      sub.nodes.push(String(s.headers['x-upstream'] || '?').split(',').pop().trim());
      for (;;) {
        let ev;
        try {
          ev = await s.next(120000);
        } catch (e) {
          sub.error = e.message;
          break;
        }
        if (!ev) break; // the stream ended: its node died
        if (typeof ev.data !== 'object' || ev.data === null || !Number.isInteger(ev.data.seq)) continue;
        sub.seqs.push(ev.data.seq);
        sub.types.push(ev.data.type);
        last = ev.data.seq;
        if (ev.data.type === 'vote.closed') sub.closed = ev.data;
      }
      await s.close();
      sub.cur = null;
      if (sub.stop || sub.error) break;
      sub.reconnects++;
    }
  })();
  return sub;
}

test('3 nodes behind nginx, node 2 SIGKILLed mid-vote: streams miss nothing, ballots count once, one close, one report mail each',
  { timeout: 240000 }, async (t) => {
    const inst = await startInstallation({ nodes: 3 });
    t.after(() => inst.stop());
    const [node1] = inst.nodes;
    const lb = inst.lb;

    // The office works on node 1; the members come through the balancer.
    const op = await signInVia(node1, inst.nodes, DEMO.operator);
    const { bodyId } = await demoIds(op);
    const emails = await growCouncil(op, bodyId, MEMBERS);
    const voters = await signInManyVia(lb, inst.nodes, emails, { concurrency: 16 });
    const m = await createMeeting(op, bodyId, { title: 'Sesja na trzech węzłach' });
    const P = `/api/meetings/${m.id}`;
    await ok(op.post(`${P}/start`), 'start');
    for (let i = 0; i < voters.length; i += 25) {
      await Promise.all(voters.slice(i, i + 25).map((v) => ok(v.post(`${P}/presence`, { is_present: true }), 'presence')));
    }
    await ready();
    await registerVoterKeys(voters);
    const seq0 = (await ok(op.get(`${P}/state`), 'state')).seq;

    // 200 streams through nginx, spread over the nodes by round robin.
    const subs = Array.from({ length: STREAMS }, (_, i) => subscriber(lb.url, m.id, voters[i % MEMBERS].cookie, seq0));
    t.after(async () => {
      for (const s of subs) {
        s.stop = true;
        if (s.cur) s.cur.close();
      }
      await Promise.all(subs.map((s) => s.done));
    });

    const v = await ok(op.post(`${P}/votes`, { title: 'Drill węzłów', motion: 'Czy przyjąć uchwałę?', kind: 'secret', duration_s: DURATION_S }), 'create');
    const opened = await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open through node 1');
    const deadline = opened.deadline;
    // The election from vote.opened, as a member's screen gets it (from any node).
    const ev = await (async () => {
      const end = Date.now() + 20000;
      for (;;) {
        const r = await psqlRows(inst.database, `SELECT payload FROM events WHERE meeting_id = '${m.id}' AND type = 'vote.opened'`);
        if (r.length) return JSON.parse(r[0].join('|'));
        if (Date.now() > end) throw new Error('no vote.opened in the store');
        await sleep(100);
      }
    })();
    const ctx = parseElection(ev.election);

    // The ledger: voter i picks option i % 3; each ballot is resent with the
    // same ballot_id until acknowledged (201, or 200 for one already stored).
    const ledger = voters.map((c, i) => ({ c, k: i % 3, id: crypto.randomUUID(), made: null, acked: null, tries: 0, failures: [] }));
    for (const x of ledger) x.made = ballotOf(ctx, x.c, [0, 1, 2].map((j) => (j === x.k ? 1 : 0)));
    const send = async (x) => {
      while (!x.acked) {
        x.tries++;
        let r;
        try {
          r = await x.c.post(`/api/votes/${v.id}/ballots`, { ballot_id: x.id, ballot: x.made.ballot }, { timeoutMs: 15000 });
        } catch (e) {
          x.failures.push(e.message);
          await sleep(200);
          continue;
        }
        if (r.status === 201 || r.status === 200) [x.acked, x.node] = [r.status, String(r.headers['x-upstream'] || '?').split(',').pop().trim()];
        else if (r.status >= 500) {
          x.failures.push(`${r.status}`);
          await sleep(200);
        } else assert.fail(`ballot of ${x.c.email}: ${r.status} ${r.text}`);
        if (Date.now() > deadline - 2000) assert.ok(x.acked, `ballot of ${x.c.email} not acknowledged before the deadline: ${x.failures.join(', ')}`);
      }
    };
    const node2 = `127.0.0.1:${inst.nodes[1].port}`;
    await Promise.all(ledger.slice(0, 40).map(send));
    assert.ok(ledger.slice(0, 40).some((x) => x.node === node2), 'node 2 took ballots before it died');
    // 30 more in flight; node 2 dies at the first answer; the last 30 after its death.
    let answered = 0;
    let killed = null;
    const second = ledger.slice(40, 70).map((x) => send(x).finally(() => {
      answered++;
      if (answered === 1) killed = inst.kill(1);
    }));
    await Promise.all(second);
    await killed;
    assert.equal(inst.nodes[1].proc.exitCode, null, 'node 2 died of SIGKILL');
    assert.equal(inst.nodes[1].proc.signalCode, 'SIGKILL');
    await Promise.all(ledger.slice(70).map(send));
    assert.ok(ledger.slice(70).every((x) => x.node !== node2), 'after its death nginx sends nothing to node 2');
    t.diagnostic(`ballots answered by node 2: ${ledger.filter((x) => x.node === node2).length}; resent after the kill: ${ledger.filter((x) => x.tries > 1).length}`);

    // The deadline closes the vote (some node's scheduler; node 2 is gone).
    let closedSeq = null;
    await t.test('the deadline closes the vote once; every acknowledged ballot counts once', async () => {
      const closeBy = deadline + 30000;
      let closed;
      for (;;) {
        const r = await op.get(`/api/votes/${v.id}`);
        if (r.status === 200 && r.json.status === 'closed') { closed = r.json; break; }
        assert.ok(Date.now() < closeBy, `vote not closed 30 s after its deadline: ${r.status} ${r.text.slice(0, 200)}`);
        await sleep(250);
      }
      assert.ok(closed.closed_at >= deadline, `closed at ${closed.closed_at}, deadline ${deadline}`);
      const tally = [0, 0, 0];
      for (const x of ledger) tally[x.k]++;
      const res = closed.result;
      assert.deepEqual([res.yes, res.no, res.abstain, res.ballots_cast], [...tally, MEMBERS], 'the result is the ledger');
      await sleep(3000); // a second closer would have written by now
      const closedRows = psqlRows(inst.database, `SELECT seq FROM events WHERE meeting_id = '${m.id}' AND type = 'vote.closed'`);
      assert.equal(closedRows.length, 1, `one vote.closed event, got seqs ${closedRows.flat().join(', ')}`);
      closedSeq = Number(closedRows[0][0]);
      assert.equal(psqlRows(inst.database, `SELECT count(*) FROM secret_ballots WHERE vote_id = '${v.id}'`)[0][0], String(MEMBERS));
      assert.equal(psqlRows(inst.database, `SELECT count(*) FROM events WHERE meeting_id = '${m.id}' AND type = 'vote.ballot'`)[0][0], String(MEMBERS));
    });

    await t.test('every stream, on whichever node, gets every event once and in order; node 2\'s reconnect elsewhere', async () => {
      assert.ok(closedSeq, 'the vote closed');
      const end = Date.now() + 30000;
      while (subs.some((s) => !s.closed && !s.error) && Date.now() < end) await sleep(200);
      const onNode2 = subs.filter((s) => s.nodes[0] === node2);
      t.diagnostic(`streams first on node 2: ${onNode2.length} of ${STREAMS}; reconnected: ${subs.filter((s) => s.reconnects > 0).length}`);
      assert.ok(onNode2.length >= STREAMS / 6, `nginx gave node 2 its share of the streams (${onNode2.length})`);
      for (const s of onNode2) assert.ok(s.nodes.length >= 2 && !s.nodes.slice(1).includes(node2), `a stream of node 2 reconnected to another node: ${s.nodes.join(' → ')}`);
      const names = new Map(inst.nodes.map((n, i) => [`127.0.0.1:${n.port}`, `node ${i + 1}`]));
      const bad = [];
      subs.forEach((s, i) => {
        const seen = new Map();
        for (const q of s.seqs) if (q <= closedSeq) seen.set(q, (seen.get(q) || 0) + 1);
        const missing = [];
        for (let q = seq0 + 1; q <= closedSeq; q++) if (!seen.has(q)) missing.push(q);
        const dups = [...seen].filter(([, n]) => n > 1).map(([q]) => q);
        const ordered = s.seqs.every((q, j) => j === 0 || q > s.seqs[j - 1]);
        if (s.error || missing.length || dups.length || !ordered) {
          bad.push(`stream ${i} via ${s.nodes.map((x) => names.get(x) || x).join(' → ')}: ${s.error ? `error ${s.error}; ` : ''}` +
            `missing ${missing.length ? `${missing[0]}…${missing[missing.length - 1]} (${missing.length})` : 'none'}, twice [${dups.join(',')}]${ordered ? '' : ', out of order'}`);
        }
      });
      assert.deepEqual(bad, [], `${bad.length} of ${STREAMS} streams missed events between ${seq0 + 1} and the close at ${closedSeq}`);
    });

    await t.test('the report mail goes to every member once, whichever node sends it', async () => {
      const reportMails = () => inst.nodes.flatMap((n) => newMails(n.dataDir)).filter((x) => REPORT_SUBJECT.test(x.headers.subject || ''));
      const mailEnd = Date.now() + 60000;
      while (reportMails().length < MEMBERS && Date.now() < mailEnd) await sleep(500);
      await sleep(3000); // a second sender would show up by now
      const mails = reportMails();
      const perRecipient = new Map();
      for (const x of mails) {
        const to = /<([^>]+)>/.exec(x.headers.to)?.[1] || x.headers.to;
        perRecipient.set(to, (perRecipient.get(to) || 0) + 1);
      }
      const twice = [...perRecipient].filter(([, n]) => n > 1).map(([to, n]) => `${to}×${n}`);
      assert.deepEqual(twice, [], `nobody gets the report twice (${mails.length} mails)`);
      assert.equal(perRecipient.size, MEMBERS, `the report went to every member (${mails.length} mails)`);
      assert.ok(mails.every((x) => x.attachments[0]?.content.startsWith('%PDF-')), 'each with the PDF');
    });
  });
