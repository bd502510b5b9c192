// obrady.mjs — set-up shared by bench/ballots, bench/fanout and bench/nodes:
// running a C load generator and reading its JSON line, the CPU time and
// memory of a server's processes, and the two workloads' state in an obrady
// installation (a 200-member council in session with an open vote; K public
// meetings with two agenda items each, started). The workloads take a
// sign-in function, so they run against one node or through a balancer.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

import { demoIds, createMeeting, DEMO, ok, mapPool } from '../../tests/e2e/lib.mjs';

/** The processes of pid: itself and its children (nginx workers). */
function familyOf(pid) {
  const pids = [pid];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) pids.push(Number(d));
    } catch { /* gone */ }
  }
  return pids;
}

/** CPU seconds (user + system) used so far by the given pids and their children. */
export function cpuSeconds(...pids) {
  let ticks = 0;
  for (const p of pids.flatMap(familyOf)) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch { /* gone */ }
  }
  return ticks / 100;
}

/** Pss in kB of the given pids and their children, from smaps_rollup. */
export function pssKb(...pids) {
  let kb = 0;
  for (const p of pids.flatMap(familyOf)) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch { /* gone */ }
  }
  return kb;
}

/**
 * Runs a load generator; resolves with the JSON of its last stdout line.
 * onStderr(text so far) sees its progress (fan-out samples memory there).
 */
export function runLoadgen(bin, args, { timeoutMs, onStderr = null, echo = false } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => {
      err += d;
      if (echo) process.stderr.write(d);
      if (onStderr) onStderr(err);
    });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${bin} exited ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop()));
    });
  });
}

export { freePort } from '../../tests/e2e/nginx.mjs';
export { waitListening as waitPort } from '../../tests/pg/nodes.mjs';

/**
 * The ballots workload: the demo council grown to 200 members by CSV import,
 * everyone signed in and present in a started meeting with one open vote
 * (yes/no/abstain, changes allowed: each voter can send ballot after ballot
 * with fresh ids) and one sample ballot stored.
 * signIn(email) → client; signInMany(emails) → clients.
 * → {op, voters, meeting, vote, sample}
 */
export async function ballotCouncil({ signIn, signInMany }) {
  const op = await signIn(DEMO.operator);
  const { bodyId } = await demoIds(op);
  const extra = Array.from({ length: 185 }, (_, i) => `czlonek${String(i + 1).padStart(3, '0')}@${DEMO.domain}`);
  const csv = ['name,email,role', ...extra.map((e, i) => `Członek Numer ${i + 1},${e},member`)].join('\n') + '\n';
  await ok(op.post(`/api/bodies/${bodyId}/members/import`, csv, { headers: { 'content-type': 'text/csv' } }), 'import');
  const members = [DEMO.chair, ...Array.from({ length: 14 }, (_, i) => DEMO.member(i + 1)), ...extra];
  const voters = await signInMany(members);
  const m = await createMeeting(op, bodyId, { title: 'Sesja budżetowa' });
  await ok(op.post(`/api/meetings/${m.id}/start`), 'start');
  for (const v of voters) await ok(v.post(`/api/meetings/${m.id}/presence`, { is_present: true }), 'presence');
  const vote = await ok(op.post(`/api/meetings/${m.id}/votes`, {
    title: 'Uchwała budżetowa', kind: 'open', method: 'yes_no_abstain', majority: 'simple', duration_s: 3600, allow_change: true,
  }), 'create vote');
  await ok(op.post(`/api/votes/${vote.id}/open`), 'open vote');
  const sample = await voters[0].post(`/api/votes/${vote.id}/ballots`, { ballot_id: 'sample-ballot-0', choice: 'yes' });
  if (sample.status !== 201) throw new Error(`sample ballot: ${sample.status} ${sample.text}`);
  return { op, voters, meeting: m, vote, sample };
}

/**
 * The fan-out workload: `meetings` public meetings of the demo council with
 * two agenda items each, started, made by the operator client op.
 * → channel lines for fanout.c: "MEETING SEQ ITEM_A ITEM_B".
 */
export async function fanoutMeetings(op, meetings) {
  const { bodyId } = await demoIds(op);
  return mapPool(meetings, 8, async (i) => {
    const m = await createMeeting(op, bodyId, { title: `Sesja ${i + 1}`, public: true });
    const items = [];
    for (const title of ['Otwarcie', 'Sprawy bieżące']) {
      const r = await op.post(`/api/meetings/${m.id}/agenda`, { title });
      if (r.status !== 201 && r.status !== 200) throw new Error(`agenda: ${r.status} ${r.text}`);
      items.push(r.json.item_id || r.json.id);
    }
    const s = await op.post(`/api/meetings/${m.id}/start`);
    if (s.status !== 200) throw new Error(`start: ${s.status} ${s.text}`);
    const st = await op.get(`/api/meetings/${m.id}/state`);
    return `${m.id} ${st.json.seq} ${items[0]} ${items[1]}`;
  });
}
