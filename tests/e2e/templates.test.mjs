// Meeting templates and copies (issue 17 item 3): a body's templates (the
// standard agenda in the organisation's language, or the office's own, with
// the settings a meeting starts with); a new draft meeting from a template,
// or as a copy of an earlier meeting — its agenda (with amendments, as
// ordinary items) and settings, never its documents, votes or guests. Bad
// input refused naming the field; members may not.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startDemo, stopAll, signInMany, demoIds, DEMO, expectError, createMeeting, readEvents, ok, fakeId, api,
} from './lib.mjs';

after(stopAll);

test('templates: standard and own agendas, meetings from a template and as copies, refusals', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, chair, member] = await signInMany(srv, [DEMO.operator, DEMO.chair, DEMO.member(3)]);
  const { bodyId } = await demoIds(op);
  const B = `/api/bodies/${bodyId}`;

  // The standard agenda, in Polish (the demo organisation's language).
  const std = await ok(op.post(`${B}/templates`, { name: 'Sesja zwyczajna', standard: true, mode: 'hybrid', place: 'Sala sesyjna', public: true, reminder_days: 7 }), 'standard');
  assert.deepEqual(std.agenda.map((x) => x.title), [
    'Otwarcie sesji i stwierdzenie prawomocności obrad', 'Przyjęcie porządku obrad',
    'Przyjęcie protokołu z poprzedniej sesji', 'Interpelacje i zapytania radnych', 'Podjęcie uchwał',
    'Wolne wnioski i informacje', 'Zamknięcie sesji']);
  assert.equal(std.is_public, true);
  const own = await ok(op.post(`${B}/templates`, {
    name: 'Sesja budżetowa', mode: 'in_person',
    agenda: [{ title: 'Otwarcie' }, { title: 'Projekt budżetu', description: 'Opinia RIO\ni komisji.' }, { title: 'Zamknięcie', description: null }],
  }), 'own');
  const list = await ok(op.get(`${B}/templates`), 'list');
  assert.deepEqual(list.templates.map((x) => x.name), ['Sesja budżetowa', 'Sesja zwyczajna']);

  // A meeting from a template: its agenda and settings, a draft, in the log.
  const m = await ok(op.post(`${B}/meetings/from-template`, { template_id: std.id, title: 'XV Sesja Rady', number: 'XV', starts_at: '2031-06-01T17:00:00+02:00' }), 'from template');
  assert.equal(m.status, 'draft');
  assert.deepEqual([m.title, m.number, m.mode, m.place, m.is_public, m.reminder_days], ['XV Sesja Rady', 'XV', 'hybrid', 'Sala sesyjna', true, 7]);
  assert.deepEqual(m.agenda.map((x) => [x.position, x.title]), std.agenda.map((x, i) => [i + 1, x.title]));
  const evs = await readEvents(op, m.id, { since: 0 });
  assert.deepEqual(evs.map((e) => e.type), ['meeting.created', ...std.agenda.map(() => 'agenda.item_added')]);
  const fromOwn = await ok(op.post(`${B}/meetings/from-template`, { template_id: own.id, title: 'Sesja budżetowa 2032', starts_at: '2031-12-20T10:00:00+01:00' }), 'from own');
  assert.equal(fromOwn.agenda[1].description, 'Opinia RIO\ni komisji.');
  assert.equal(fromOwn.mode, 'in_person');

  // A copy of an earlier meeting that was held: an amendment and a vote and a document there.
  const held = await createMeeting(op, bodyId, { title: 'Sesja wzorcowa', mode: 'remote', place: 'Online', public: false });
  const H = `/api/meetings/${held.id}`;
  await ok(op.post(`${H}/agenda`, { title: 'Sprawy bieżące', description: 'Opis' }), 'item');
  await ok(op.post(`${H}/start`, {}), 'start');
  await ok(chair.post(`${H}/agenda`, { title: 'Punkt dodany w trakcie' }), 'amendment');
  await ok(op.post(`${H}/votes`, { title: 'Uchwała', duration_s: 60 }), 'a vote');
  const copy = await ok(op.post(`${H}/copy`, { title: 'Sesja — kopia', starts_at: '2031-07-01T17:00:00+02:00' }), 'copy');
  assert.notEqual(copy.id, held.id);
  assert.deepEqual([copy.status, copy.mode, copy.place, copy.is_public, copy.body_id], ['draft', 'remote', 'Online', false, bodyId]);
  assert.deepEqual(copy.agenda.map((x) => [x.title, x.description, x.is_amendment]), [
    ['Sprawy bieżące', 'Opis', false], ['Punkt dodany w trakcie', '', false]]);
  assert.ok(copy.agenda.every((x) => x.documents.length === 0), 'no documents');
  assert.deepEqual((await ok(op.get(`/api/meetings/${copy.id}/votes`), 'votes')).votes, [], 'no votes');

  // Who may: the office; not a member, not the chair (preparing is the office's).
  expectError(await member.get(`${B}/templates`), 403, 'forbidden');
  expectError(await chair.post(`${B}/templates`, { name: 'X', standard: true }), 403, 'forbidden');
  expectError(await member.post(`${B}/templates`, { name: 'X', standard: true }), 403, 'forbidden');
  expectError(await member.post(`${H}/copy`, { title: 'X', starts_at: '2031-07-01T17:00:00+02:00' }), 403, 'forbidden');
  expectError(await api(srv, 'GET', `${B}/templates`), 401, 'unauthorized');

  // Bad input, each naming its field.
  expectError(await op.post(`${B}/templates`, { name: 'Sesja zwyczajna', standard: true }), 409, 'template_name_taken', 'name');
  expectError(await op.post(`${B}/templates`, { name: 'Bez porządku' }), 422, 'missing_field', 'agenda');
  expectError(await op.post(`${B}/templates`, { name: 'Oba', standard: true, agenda: [{ title: 'A' }] }), 422, 'agenda_and_standard', 'standard');
  expectError(await op.post(`${B}/templates`, { name: '', standard: true }), 422, 'out_of_range', 'name');
  expectError(await op.post(`${B}/templates`, { name: 'Pusty', agenda: [] }), 422, 'out_of_range', 'agenda');
  expectError(await op.post(`${B}/templates`, { name: 'Zły', agenda: [{ title: '' }] }), 422, 'out_of_range', 'agenda');
  expectError(await op.post(`${B}/templates`, { name: 'Zły', agenda: [{ title: 'A\nB' }] }), 422, 'out_of_range', 'agenda');
  expectError(await op.post(`${B}/templates`, { name: 'Zły', agenda: [{ title: 'A', extra: 1 }] }), 422, 'wrong_type', 'agenda');
  expectError(await op.post(`${B}/templates`, { name: 'Zły', agenda: 'Otwarcie' }), 422, 'wrong_type', 'agenda');
  expectError(await op.post(`${B}/templates`, { name: 'Zły', agenda: Array.from({ length: 101 }, (_, i) => ({ title: `P${i}` })) }), 422, 'out_of_range', 'agenda');
  expectError(await op.post(`${B}/templates`, { name: 'Zły', standard: true, mode: 'hologram' }), 422, 'out_of_range', 'mode');
  expectError(await op.post(`${B}/templates`, { name: 'Zły', standard: true, reminder_days: 61 }), 422, 'out_of_range', 'reminder_days');
  expectError(await op.post(`${B}/templates`, { name: 'Zły', standard: true, broadcast_url: 'javascript:alert(1)' }), 422, 'out_of_range', 'broadcast_url');
  expectError(await op.post(`${B}/meetings/from-template`, { template_id: fakeId(), title: 'X', starts_at: '2031-06-01T17:00:00+02:00' }), 422, 'template_unknown', 'template_id');
  expectError(await op.post(`${B}/meetings/from-template`, { template_id: 'nie-id', title: 'X', starts_at: '2031-06-01T17:00:00+02:00' }), 422, 'template_unknown', 'template_id');
  expectError(await op.post(`${B}/meetings/from-template`, { title: 'X', starts_at: '2031-06-01T17:00:00+02:00' }), 422, 'missing_field', 'template_id');
  expectError(await op.post(`${B}/meetings/from-template`, { template_id: std.id, title: 'X', starts_at: 'jutro' }), 422, 'bad_time', 'starts_at');
  expectError(await op.post(`${H}/copy`, { starts_at: '2031-07-01T17:00:00+02:00' }), 422, 'missing_field', 'title');
  expectError(await op.post(`/api/meetings/${fakeId()}/copy`, { title: 'X', starts_at: '2031-07-01T17:00:00+02:00' }), 404, 'not_found');

  // Deleting a template leaves the meetings made from it.
  const del = await op.api('DELETE', `${B}/templates/${std.id}`);
  assert.equal(del.status, 204);
  expectError(await op.api('DELETE', `${B}/templates/${std.id}`), 404, 'not_found');
  assert.deepEqual((await ok(op.get(`${B}/templates`), 'list')).templates.map((x) => x.name), ['Sesja budżetowa']);
  assert.equal((await ok(op.get(`/api/meetings/${m.id}`), 'meeting')).agenda.length, 7);
});
