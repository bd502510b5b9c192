// openapi.test.mjs — GET /api/openapi.json is a valid OpenAPI 3.1 document
// (checked with @seriousme/openapi-schema-validator), it is the committed
// docs/openapi.json, and that file matches the route table and the field
// specs as scripts/openapi.mjs reads them — so a route added without
// `make openapi` fails here, naming the route. docs/api.md must mention
// every route too.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';

import { REPO, api, startServer, stopAll } from './lib.mjs';
import { buildDocument, differences, readRoutes } from '../../scripts/openapi.mjs';

after(stopAll);

const committed = JSON.parse(fs.readFileSync(path.join(REPO, 'docs', 'openapi.json'), 'utf8'));
const openapiPath = (pattern) => pattern.replace(/\{(\w+):\w+\}/g, '{$1}');

test('GET /api/openapi.json serves docs/openapi.json', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const r = await api(srv, 'GET', '/api/openapi.json');
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /^application\/json/);
  assert.deepEqual(r.json, committed);
});

test('the document is valid OpenAPI 3.1', async () => {
  const v = new Validator();
  const res = await v.validate(structuredClone(committed));
  assert.equal(v.version, '3.1');
  assert.ok(res.valid, JSON.stringify(res.errors, null, 1));
  // The validator does refuse a broken document (a parameter without its schema or content).
  const broken = structuredClone(committed);
  delete broken.paths['/api/votes/{id}'].get.parameters[0].schema;
  assert.equal((await new Validator().validate(broken)).valid, false, 'a broken copy is refused');
});

test('every route of src/api/routes.c is in docs/openapi.json with its method and path parameters', () => {
  const routes = readRoutes();
  assert.ok(routes.length > 50, `read the route table (${routes.length} routes)`);
  const missing = routes.filter((r) => !committed.paths[openapiPath(r.pattern)]?.[r.method.toLowerCase()])
    .map((r) => `${r.method} ${r.pattern}`);
  assert.deepEqual(missing, [], `missing in docs/openapi.json (run \`make openapi\`): ${missing.join(', ')}`);
  for (const r of routes) {
    const op = committed.paths[openapiPath(r.pattern)][r.method.toLowerCase()];
    const names = [...r.pattern.matchAll(/\{(\w+)/g)].map((m) => m[1]);
    assert.deepEqual((op.parameters || []).filter((p) => p.in === 'path').map((p) => p.name), names, `${r.method} ${r.pattern}`);
    assert.equal(op.responses['4XX'].$ref, '#/components/responses/Error', 'the error shape');
  }
});

test('docs/openapi.json is what scripts/openapi.mjs makes from the sources now', () => {
  const diff = differences(buildDocument(), committed);
  assert.deepEqual(diff, [], `docs/openapi.json is out of date (run \`make openapi\`):\n${diff.join('\n')}`);
});

test('request bodies come from the handlers\' field specs', () => {
  const create = committed.paths['/api/bodies/{id}/meetings'].post.requestBody.content['application/json'].schema;
  assert.deepEqual(create.required, ['title', 'starts_at', 'mode']);
  assert.deepEqual(create.properties.mode.enum, ['in_person', 'remote', 'hybrid']);
  assert.equal(create.additionalProperties, false, 'unknown fields are refused');
  const update = committed.paths['/api/meetings/{id}'].patch.requestBody.content['application/json'].schema;
  assert.equal(update.required, undefined, 'every field optional on update');
  const extend = committed.paths['/api/votes/{id}/extend'].post.requestBody.content['application/json'].schema;
  assert.deepEqual(extend.properties.seconds, { type: 'integer', minimum: 10, maximum: 3600 });
  const upload = committed.paths['/api/meetings/{id}/documents'].post;
  assert.ok(upload.requestBody.content['application/octet-stream'], 'documents are raw bodies');
  assert.deepEqual(upload.parameters.filter((p) => p.in === 'query').map((p) => p.name), ['draft_resolution', 'item'],
    'query parameters the handler reads');
  const list = committed.paths['/api/public/meetings'].get.parameters.find((p) => p.name === 'offset');
  assert.deepEqual(list.schema, { type: 'integer', minimum: 0, maximum: 100000 });
});

test('docs/api.md describes every route of the table', () => {
  const md = fs.readFileSync(path.join(REPO, 'docs', 'api.md'), 'utf8');
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const missing = readRoutes().map((r) => `${r.method} ${openapiPath(r.pattern)}`)
    .filter((s) => !new RegExp(`${esc(s)}(?![\\w/.-])`).test(md));
  assert.deepEqual(missing, [], `docs/api.md does not mention: ${missing.join(', ')}`);
});
