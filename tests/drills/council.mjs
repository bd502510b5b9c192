// council.mjs — set-up shared by the failure drills: a demo council grown to
// n members by CSV import, everyone signed in, a started meeting where every
// voter has said they are present, and an open named vote.
import { signIn, signInMany, demoIds, createMeeting, DEMO, ok } from '../e2e/lib.mjs';

/** The drills' 2xx check is the e2e one. */
export { ok };

/** The demo's 15 members plus n - 15 imported ones → their e-mail addresses. */
export async function growCouncil(op, bodyId, n) {
  const extra = Array.from({ length: Math.max(0, n - DEMO.memberCount) }, (_, i) => `czlonek${String(i + 1).padStart(3, '0')}@${DEMO.domain}`);
  if (extra.length) {
    const csv = ['name,email,role', ...extra.map((e, i) => `Członek Numer ${i + 1},${e},member`)].join('\n') + '\n';
    await ok(op.post(`/api/bodies/${bodyId}/members/import`, csv, { headers: { 'content-type': 'text/csv' } }), 'import');
  }
  return [DEMO.chair, ...Array.from({ length: 14 }, (_, i) => DEMO.member(i + 1)), ...extra].slice(0, n);
}

/**
 * A council of n signed-in members in a started meeting, all present →
 * {op, voters, meeting, bodyId}.
 */
export async function councilInSession(srv, n, { concurrency = 16 } = {}) {
  const op = await signIn(srv, DEMO.operator, { via: 'stdout' });
  const { bodyId } = await demoIds(op);
  const emails = await growCouncil(op, bodyId, n);
  const voters = await signInMany(srv, emails, { concurrency });
  const meeting = await createMeeting(op, bodyId, { title: 'Sesja próbna' });
  await ok(op.post(`/api/meetings/${meeting.id}/start`), 'start');
  for (let i = 0; i < voters.length; i += 20) {
    await Promise.all(voters.slice(i, i + 20).map((v) => ok(v.post(`/api/meetings/${meeting.id}/presence`, { is_present: true }), 'presence')));
  }
  return { op, voters, meeting, bodyId };
}

/** Creates and opens a named yes/no/abstain vote lasting duration_s → the vote. */
export async function openVote(op, meetingId, durationS, fields = {}) {
  const v = await ok(op.post(`/api/meetings/${meetingId}/votes`, {
    title: 'Uchwała w sprawie próby', kind: 'open', method: 'yes_no_abstain', majority: 'simple', duration_s: durationS, ...fields,
  }), 'create vote');
  return ok(op.post(`/api/votes/${v.id}/open`), 'open vote');
}

/** Polls GET /api/votes/{id} until status is closed (or throws after ms). */
export async function waitClosed(client, voteId, ms) {
  const end = Date.now() + ms;
  for (;;) {
    const r = await client.get(`/api/votes/${voteId}`);
    if (r.status === 200 && r.json.status === 'closed') return r.json;
    if (Date.now() > end) throw new Error(`vote ${voteId} not closed within ${ms} ms: ${r.status} ${r.text.slice(0, 300)}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}
