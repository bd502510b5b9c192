// Permissions (issue 3): every route of the issue × every kind of person,
// asserting allowed (the route's success status) or denied (401 for
// anonymous, 403 forbidden otherwise). The expectations are derived from the
// permission table of src/core/roles.c, restated below as data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  startDemo, stopAll, anonymous, signIn, signInAll, newUser, DEMO, expectError, sql, sqlq, fakeId,
} from './lib.mjs';

after(stopAll);

// ---- the permission table of src/core/roles.c, as data ----
// Who a person is, relative to the organisation (and body) a request is about.
const ACTIONS = {
  ORG_CREATE: ['ADMIN'],
  ORG_READ: ['ADMIN', 'ORG_ADM', 'OPER'],
  ORG_UPDATE: ['ADMIN', 'ORG_ADM'],
  STAFF_READ: ['ADMIN', 'ORG_ADM', 'OPER'],
  STAFF_MANAGE: ['ADMIN', 'ORG_ADM'],
  BODY_CREATE: ['ADMIN', 'ORG_ADM'],
  BODY_READ: ['ADMIN', 'ORG_ADM', 'OPER', 'CHAIR', 'VICE', 'SECR', 'MEMBER'],
  BODY_UPDATE: ['ADMIN', 'ORG_ADM'],
  MEMBER_READ: ['ADMIN', 'ORG_ADM', 'OPER', 'CHAIR', 'VICE', 'SECR', 'MEMBER'],
  MEMBER_READ_CONTACT: ['ADMIN', 'ORG_ADM', 'OPER', 'CHAIR', 'VICE', 'SECR'],
  MEMBER_MANAGE: ['ADMIN', 'ORG_ADM', 'OPER'],
  MEMBER_ADD_EXTERNAL: ['ADMIN', 'ORG_ADM', 'OPER', 'CHAIR'],
};

// The people of this test and their facts: in the demo organisation (and its
// council), and in the other organisation.
const ROLES = {
  anonymous: null,
  member: { demo: ['MEMBER'], other: [] }, //           radny02
  vice_chair: { demo: ['VICE'], other: [] }, //         radny01
  chair: { demo: ['CHAIR'], other: [] }, //             przewodniczaca
  operator: { demo: ['OPER'], other: [] }, //           biuro
  org_admin: { demo: ['ORG_ADM'], other: [] }, //       an organisation admin only
  other_admin: { demo: [], other: ['ORG_ADM'] }, //     admin of another organisation
  instance_admin: { demo: ['ADMIN'], other: ['ADMIN'] }, // `obrady user add --admin`, staff nowhere
};
const ROLE_NAMES = Object.keys(ROLES);

/** Expected: 'allowed' | 'denied' (403) | 'unauth' (401) for role on a route. */
function expectation(route, role) {
  if (route.access === 'public') return 'allowed';
  if (role === 'anonymous') return 'unauth';
  if (route.access === 'signed_in') return 'allowed';
  const facts = ROLES[role][route.target || 'demo'];
  return ACTIONS[route.access].some((w) => facts.includes(w)) ? 'allowed' : 'denied';
}

// ---- the routes of issue 3 ----
const uniq = (p) => `${p}-${crypto.randomBytes(4).toString('hex')}`;
const ctx = {}; // ids filled in before()

const ROUTES = [
  // Sign-in (public)
  { m: 'POST', p: () => '/api/auth/code', body: () => ({ email: `${uniq('nikt')}@${DEMO.domain}` }), access: 'public', ok: 202 },
  { m: 'POST', p: () => '/api/auth/session', body: () => ({ email: `${uniq('nikt')}@${DEMO.domain}`, code: '123456' }), access: 'public', ok: 401, okCode: 'code_expired' },
  // With no pending session, the TOTP step answers 401 to everyone.
  { m: 'POST', p: () => '/api/auth/totp', body: () => ({ code: '123456' }), access: 'public', ok: 401, okCode: 'unauthorized' },
  { m: 'GET', p: () => `/m/${crypto.randomBytes(16).toString('base64url')}`, access: 'public', ok: 200 },
  { m: 'GET', p: () => `/api/access/${crypto.randomBytes(16).toString('base64url')}`, access: 'public', ok: 404, okCode: 'not_found' },
  // The signed-in person's own account
  { m: 'GET', p: () => '/api/me', access: 'signed_in', ok: 200 },
  { m: 'PATCH', p: () => '/api/me', body: () => ({ lang: 'pl' }), access: 'signed_in', ok: 200 },
  { m: 'GET', p: () => '/api/me/sessions', access: 'signed_in', ok: 200 },
  { m: 'DELETE', p: (x) => `/api/me/sessions/${x.sessionId}`, prepare: extraSession, access: 'signed_in', ok: 204 },
  { m: 'POST', p: () => '/api/me/totp/setup', access: 'signed_in', ok: 200 },
  { m: 'POST', p: () => '/api/me/totp/enable', body: () => ({ code: '000000' }), access: 'signed_in', ok: 401, okCode: 'totp_invalid' },
  { m: 'POST', p: () => '/api/me/totp/disable', body: () => ({ code: '000000' }), access: 'signed_in', ok: 409, okCode: 'totp_not_set_up' },
  // Organisations and staff
  { m: 'GET', p: () => '/api/orgs', access: 'signed_in', ok: 200 },
  { m: 'POST', p: () => '/api/orgs', body: () => ({ name: uniq('Gmina') }), access: 'ORG_CREATE', ok: 201 },
  { m: 'GET', p: () => `/api/orgs/${ctx.orgId}`, access: 'ORG_READ', ok: 200 },
  { m: 'GET', p: () => `/api/orgs/${ctx.otherOrgId}`, access: 'ORG_READ', target: 'other', ok: 200 },
  { m: 'PATCH', p: () => `/api/orgs/${ctx.orgId}`, body: () => ({ time_zone: 'Europe/Warsaw' }), access: 'ORG_UPDATE', ok: 200 },
  { m: 'PATCH', p: () => `/api/orgs/${ctx.otherOrgId}`, body: () => ({ time_zone: 'Europe/Warsaw' }), access: 'ORG_UPDATE', target: 'other', ok: 200 },
  { m: 'GET', p: () => `/api/orgs/${ctx.orgId}/staff`, access: 'STAFF_READ', ok: 200 },
  { m: 'POST', p: () => `/api/orgs/${ctx.orgId}/staff`, body: () => ({ email: `${uniq('op')}@${DEMO.domain}`, name: 'Operator', role: 'operator' }), access: 'STAFF_MANAGE', ok: 201 },
  { m: 'POST', p: () => `/api/orgs/${ctx.otherOrgId}/staff`, body: () => ({ email: `${uniq('op')}@inna.example`, name: 'Operator', role: 'operator' }), access: 'STAFF_MANAGE', target: 'other', ok: 201 },
  { m: 'DELETE', p: (x) => `/api/orgs/${ctx.orgId}/staff/${x.userId}`, prepare: freshStaff, access: 'STAFF_MANAGE', ok: 204 },
  // Bodies
  { m: 'GET', p: () => `/api/orgs/${ctx.orgId}/bodies`, access: 'STAFF_READ', ok: 200 },
  { m: 'POST', p: () => `/api/orgs/${ctx.orgId}/bodies`, body: () => ({ name: uniq('Komisja'), kind: 'committee', statutory_size: 5 }), access: 'BODY_CREATE', ok: 201 },
  { m: 'POST', p: () => `/api/orgs/${ctx.otherOrgId}/bodies`, body: () => ({ name: uniq('Komisja'), kind: 'committee', statutory_size: 5 }), access: 'BODY_CREATE', target: 'other', ok: 201 },
  { m: 'GET', p: () => `/api/bodies/${ctx.bodyId}`, access: 'BODY_READ', ok: 200 },
  { m: 'PATCH', p: () => `/api/bodies/${ctx.bodyId}`, body: () => ({ vote_duration_s: 120 }), access: 'BODY_UPDATE', ok: 200 },
  // Members
  { m: 'GET', p: () => `/api/bodies/${ctx.bodyId}/members`, access: 'MEMBER_READ', ok: 200 },
  { m: 'POST', p: () => `/api/bodies/${ctx.bodyId}/members`, body: () => ({ email: `${uniq('radna')}@${DEMO.domain}`, name: 'Nowa Radna' }), access: 'MEMBER_MANAGE', ok: 201 },
  { m: 'POST', p: () => `/api/bodies/${ctx.bodyId}/members`, body: () => ({ email: `${uniq('recenzent')}@gmail.example`, name: 'Recenzent', is_external: true }), access: 'MEMBER_ADD_EXTERNAL', ok: 201, label: 'external' },
  {
    m: 'POST', p: () => `/api/bodies/${ctx.bodyId}/members/import`, access: 'MEMBER_MANAGE', ok: 201,
    body: () => `name,email\nZ Importu,${uniq('import')}@${DEMO.domain}\n`, headers: { 'content-type': 'text/csv' },
  },
  { m: 'PATCH', p: () => `/api/bodies/${ctx.bodyId}/members/${ctx.targetMemberId}`, body: () => ({ groups: ['komisja-rewizyjna'] }), access: 'MEMBER_MANAGE', ok: 200 },
  { m: 'DELETE', p: (x) => `/api/bodies/${ctx.bodyId}/members/${x.memberId}`, prepare: freshMember, access: 'MEMBER_MANAGE', ok: 204 },
  // Last: signing out ends the session of whoever asks.
  { m: 'DELETE', p: () => '/api/auth/session', access: 'public', ok: 204 },
];

let srv;
const clients = {};

async function extraSession(role) {
  const id = fakeId();
  if (role === 'anonymous') return { sessionId: id };
  const uid = clients[role].user.id;
  const now = Date.now();
  await sql(srv, `INSERT INTO sessions (id, token_hash, user_id, created_ms, last_seen_ms, expires_ms) VALUES (${sqlq(id)}, ${sqlq(crypto.randomBytes(32).toString('hex'))}, ${sqlq(uid)}, ${now}, ${now}, ${now + 3600000})`);
  return { sessionId: id };
}

async function freshStaff() {
  const r = await ctx.root.post(`/api/orgs/${ctx.orgId}/staff`, { email: `${uniq('tymczasowy')}@${DEMO.domain}`, name: 'Tymczasowy', role: 'operator' });
  assert.equal(r.status, 201, r.text);
  return { userId: r.json.user_id };
}

async function freshMember() {
  const r = await ctx.root.post(`/api/bodies/${ctx.bodyId}/members`, { email: `${uniq('doUsuniecia')}@${DEMO.domain}`, name: 'Do Usunięcia' });
  assert.equal(r.status, 201, r.text);
  return { memberId: r.json.id };
}

before(async () => {
  srv = await startDemo();
  const ROOT = 'root@obrady.example';
  await newUser(srv, ROOT, { admin: true, name: 'Administrator Instancji' });
  const root = await signIn(srv, ROOT);
  ctx.root = root;
  const orgs = await root.get('/api/orgs');
  ctx.orgId = orgs.json.orgs.find((o) => o.name === DEMO.orgName).id;
  const bodies = await root.get(`/api/orgs/${ctx.orgId}/bodies`);
  ctx.bodyId = bodies.json.bodies.find((b) => b.name === DEMO.bodyName).id;
  const other = await root.post('/api/orgs', { name: 'Gmina Inna', email_domains: ['inna.example'] });
  assert.equal(other.status, 201, other.text);
  ctx.otherOrgId = other.json.id;
  const oa = await root.post(`/api/orgs/${ctx.otherOrgId}/staff`, { email: 'admin@inna.example', name: 'Admin Innej Gminy', role: 'admin' });
  assert.equal(oa.status, 201, oa.text);
  const da = await root.post(`/api/orgs/${ctx.orgId}/staff`, { email: `kierownik@${DEMO.domain}`, name: 'Kierownik Urzędu', role: 'admin' });
  assert.equal(da.status, 201, da.text);
  const target = await root.post(`/api/bodies/${ctx.bodyId}/members`, { email: `cel@${DEMO.domain}`, name: 'Radny Docelowy' });
  assert.equal(target.status, 201, target.text);
  ctx.targetMemberId = target.json.id;

  const emails = {
    member: DEMO.member(2), vice_chair: DEMO.vice, chair: DEMO.chair, operator: DEMO.operator,
    org_admin: `kierownik@${DEMO.domain}`, other_admin: 'admin@inna.example',
  };
  const signed = await signInAll(srv, Object.values(emails));
  Object.keys(emails).forEach((role, i) => (clients[role] = signed[i]));
  clients.instance_admin = root;
  clients.anonymous = anonymous(srv);
});

test('every state-changing route refuses a session cookie without Origin (CSRF) and changes nothing', async () => {
  // A second session of the organisation admin, so signing out cannot end the one the matrix uses.
  const c = await signIn(srv, `kierownik@${DEMO.domain}`);
  const eventsBefore = await sql(srv, 'SELECT count(*) FROM events');
  const failures = [];
  for (const r of ROUTES) {
    if (r.m === 'GET' || (r.access === 'public' && !(r.m === 'DELETE' && r.p() === '/api/auth/session'))) continue;
    const x = r.prepare ? await r.prepare('org_admin') : {};
    const res = await c.api(r.m, r.p(x), r.body ? r.body() : undefined, { headers: { origin: null, ...(r.headers || {}) } });
    if (res.status !== 403 || !res.json || res.json.error.code !== 'origin_mismatch') {
      failures.push(`${r.m} ${r.p(x)} with the cookie and no Origin → ${res.status} ${res.text.slice(0, 120)} (expected 403 origin_mismatch)`);
    }
  }
  const me = await c.me();
  if (me.status !== 200) failures.push(`after these requests GET /api/me → ${me.status} ${me.text.slice(0, 120)}: the session was ended without Origin`);
  // freshStaff/freshMember above made 2 events; nothing else may have changed.
  const eventsAfter = await sql(srv, 'SELECT count(*) FROM events');
  if (Number(eventsAfter) !== Number(eventsBefore) + 2) failures.push(`${Number(eventsAfter) - Number(eventsBefore) - 2} audit event(s) were written by requests without Origin`);
  assert.deepEqual(failures, []);
});

test('permission matrix: every issue-3 route × every role', async () => {
  const failures = [];
  const table = [];
  for (const r of ROUTES) {
    const results = await Promise.all(ROLE_NAMES.map(async (role) => {
      const x = r.prepare ? await r.prepare(role) : {};
      const urlPath = r.p(x);
      const res = await clients[role].api(r.m, urlPath, r.body ? r.body() : undefined, r.headers ? { headers: r.headers } : {});
      const want = expectation(r, role);
      let good;
      if (want === 'unauth') good = res.status === 401 && res.json?.error?.code === 'unauthorized';
      else if (want === 'denied') good = res.status === 403 && res.json?.error?.code === 'forbidden';
      else good = res.status === r.ok && (!r.okCode || res.json?.error?.code === r.okCode);
      if (!good) {
        const exp = want === 'unauth' ? '401 unauthorized' : want === 'denied' ? '403 forbidden' : `${r.ok}${r.okCode ? ` ${r.okCode}` : ''}`;
        failures.push(`${role}: ${r.m} ${urlPath}${r.label ? ` (${r.label})` : ''} → ${res.status} ${res.text.slice(0, 120)}; expected ${exp}`);
      }
      return want === 'allowed' ? 'ok' : want === 'denied' ? '403' : '401';
    }));
    table.push(`${`${r.m} ${r.p({ sessionId: '{id}', userId: '{user}', memberId: '{member}' })}${r.label ? ` (${r.label})` : ''}`.padEnd(70)} ${results.join(' ')}`);
  }
  if (failures.length) {
    assert.fail(`${failures.length} permission mismatches:\n${failures.join('\n')}\n\nexpected (${ROLE_NAMES.join(' ')}):\n${table.join('\n')}`);
  }
});

test('member lists show e-mail addresses only to those who may contact members', async () => {
  // The matrix signed everyone out at its end; sign the body's people in again.
  const [member, vice, chair, operator] = await signInAll(srv, [DEMO.member(2), DEMO.vice, DEMO.chair, DEMO.operator]);
  const cases = [[member, 'MEMBER'], [vice, 'VICE'], [chair, 'CHAIR'], [operator, 'OPER']];
  for (const [c, who] of cases) {
    const r = await c.get(`/api/bodies/${ctx.bodyId}/members`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.members.length >= DEMO.memberCount);
    const withEmail = r.json.members.filter((m) => 'email' in m).length;
    const shouldSee = ACTIONS.MEMBER_READ_CONTACT.includes(who);
    assert.equal(withEmail, shouldSee ? r.json.members.length : 0, `${c.email}: e-mail addresses ${shouldSee ? 'shown' : 'hidden'}`);
    for (const m of r.json.members) assert.ok(m.name && m.role, 'names and roles are always shown');
  }
  // GET /api/bodies/{id} tells the front end what the person may do.
  const b = await chair.get(`/api/bodies/${ctx.bodyId}`);
  assert.deepEqual([b.json.can_manage, b.json.can_add_external, b.json.can_update], [false, true, false]);
  const o = await operator.get(`/api/bodies/${ctx.bodyId}`);
  assert.deepEqual([o.json.can_manage, o.json.can_add_external, o.json.can_update], [true, true, false]);
  const m = await member.get(`/api/bodies/${ctx.bodyId}`);
  assert.deepEqual([m.json.can_manage, m.json.can_add_external, m.json.can_update], [false, false, false]);
  // The attendance over a period goes with the contact list (MEMBER_READ_CONTACT).
  assert.deepEqual([b.json.can_read_attendance, o.json.can_read_attendance, m.json.can_read_attendance], [true, true, false]);
});

test("the other organisation's admin cannot reach the demo organisation's bodies and members by id", async () => {
  const [oa] = await signInAll(srv, ['admin@inna.example']);
  expectError(await oa.get(`/api/bodies/${ctx.bodyId}`), 403, 'forbidden');
  expectError(await oa.get(`/api/bodies/${ctx.bodyId}/members`), 403, 'forbidden');
  expectError(await oa.patch(`/api/bodies/${ctx.bodyId}/members/${ctx.targetMemberId}`, { role: 'chair' }), 403, 'forbidden');
  // Their own organisation is theirs.
  const own = await oa.get('/api/orgs');
  assert.deepEqual(own.json.orgs.map((o) => o.id), [ctx.otherOrgId], 'GET /api/orgs lists only their organisation');
});
