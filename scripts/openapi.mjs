#!/usr/bin/env node
// openapi.mjs — writes the OpenAPI 3.1 description of obrady's HTTP API from
// the sources themselves: every route of the table in src/api/routes.c
// (method, pattern, path parameters and their formats, body limit) and, for
// JSON bodies, the handler's field spec (struct jfield: name, type, required,
// bounds) plus the allowed values it checks with validate_one_of.
//   node scripts/openapi.mjs            → prints the document
//   node scripts/openapi.mjs --check F  → exit 1 naming each difference from F
// `make openapi` refreshes docs/openapi.json; tests/e2e/openapi.test.mjs checks it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const API_DIR = path.join(REPO, 'src', 'api');

/** The route table: [{method, pattern, handler, bodyMax, hasSink}] in table order. */
export function readRoutes(file = path.join(API_DIR, 'routes.c')) {
  const src = fs.readFileSync(file, 'utf8').replace(/\s+/g, ' ');
  const table = src.slice(src.indexOf('api_routes[] = {'));
  const re = /\{\s*"(GET|POST|PUT|PATCH|DELETE)",\s*"([^"]+)",\s*(\w+),\s*([^,]+),\s*([^,]+),\s*([^}]+?)\s*\}/g;
  return [...table.matchAll(re)].map((m) => ({
    method: m[1], pattern: m[2], handler: m[3], bodyMax: m[4].trim(), hasSink: m[6].trim() !== 'NULL',
  }));
}

/** Top-level functions of the API's C files: name → {body, file}. */
function readFunctions() {
  const fns = new Map();
  for (const f of fs.readdirSync(API_DIR).filter((x) => x.endsWith('.c')).sort()) {
    const src = fs.readFileSync(path.join(API_DIR, f), 'utf8');
    const re = /^(?:static\s+)?[a-z_][\w\s*]*?\b(\w+)\(([^;{]*?)\)\s*\n\{\n([\s\S]*?)\n\}\n/gm;
    for (const m of src.matchAll(re)) fns.set(m[1], { body: m[3], file: src });
  }
  return fns;
}

const num = (s) => (/^-?\d+$/.test(s.trim()) ? Number(s.trim()) : null);

/** The JSON fields a function's spec declares, or null. */
function specOf(fn, handlerName) {
  const m = /struct jfield spec\[\] = \{([\s\S]*?)\{NULL\}/.exec(fn.body);
  if (!m) return null;
  const fields = [];
  const re = /\{"(\w+)",\s*(JF_\w+),\s*(\w+),\s*([^,]+),\s*([^,]+),/g;
  for (const f of m[1].matchAll(re)) {
    // A helper shared by create and update says "is_create": required on create.
    const req = f[3] === 'true' || (f[3] !== 'false' && /_(create|add)$/.test(handlerName));
    fields.push({ name: f[1], type: f[2], required: req, min: num(f[4]), max: num(f[5]) });
  }
  const allowed = {};
  for (const v of fn.body.matchAll(/validate_one_of\(rq, "(\w+)", \w+, (\w+)\)/g)) {
    const arr = new RegExp(`${v[2]}\\[\\] = \\{([^}]*)\\}`).exec(fn.file);
    if (arr) allowed[v[1]] = [...arr[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
  }
  return { fields, allowed, optionalBody: /req_parse_json_optional/.test(fn.body) };
}

/** The handler's spec, or that of a function it calls (one level down). */
function handlerSpec(fns, handler) {
  const fn = fns.get(handler);
  if (!fn) return null;
  const own = specOf(fn, handler);
  if (own) return own;
  for (const call of fn.body.matchAll(/\b(\w+)\(/g)) {
    const callee = fns.get(call[1]);
    if (callee && call[1] !== handler) {
      const s = specOf(callee, handler);
      if (s) return s;
    }
  }
  return null;
}

/** Functions reachable from name within depth calls, name included. */
function reachable(fns, name, depth) {
  const seen = new Set([name]);
  let frontier = [name];
  for (let d = 0; d < depth; d++) {
    const next = [];
    for (const f of frontier) {
      for (const call of fns.get(f).body.matchAll(/\b(\w+)\(/g)) {
        if (fns.has(call[1]) && !seen.has(call[1])) {
          seen.add(call[1]);
          next.push(call[1]);
        }
      }
    }
    frontier = next;
  }
  return [...seen];
}

/** Query parameters a handler reads (req_query, or query_int with bounds). */
function queryParams(fns, handler) {
  if (!fns.has(handler)) return [];
  const out = new Map();
  for (const name of reachable(fns, handler, 2)) {
    const { body, file } = fns.get(name);
    const value = (tok) => {
      const n = num(tok);
      if (n !== null) return n;
      const def = new RegExp(`#define ${tok.trim()} \\(?(\\d+)`).exec(file);
      return def ? Number(def[1]) : null;
    };
    for (const m of body.matchAll(/query_int\(rq, "(\w+)", ([^,]+), ([^,]+),/g)) {
      const schema = { type: 'integer' };
      const lo = value(m[2]), hi = value(m[3]);
      if (lo !== null) schema.minimum = lo;
      if (hi !== null) schema.maximum = hi;
      out.set(m[1], schema);
    }
    for (const m of body.matchAll(/req_query\(rq, "(\w+)"\)/g)) {
      if (!out.has(m[1])) out.set(m[1], { type: 'string' });
    }
  }
  return [...out].sort(([a], [b]) => a.localeCompare(b))
    .map(([name, schema]) => ({ name, in: 'query', required: false, schema }));
}

const ID_PATTERN = '^[0-9a-hjkmnp-tv-z]{20}$';

function fieldSchema(f, allowed) {
  switch (f.type) {
    case 'JF_STRING':
    case 'JF_TEXT': {
      const s = { type: 'string' };
      if (f.min !== null && f.min > 0) s.minLength = f.min;
      if (f.max !== null && f.max > 0) s.maxLength = f.max;
      if (allowed) s.enum = allowed;
      if (f.type === 'JF_TEXT') s.description = 'multi-line text';
      return s;
    }
    case 'JF_ID':
      return { type: 'string', pattern: ID_PATTERN };
    case 'JF_INT': {
      const s = { type: 'integer' };
      if (f.min !== null) s.minimum = f.min;
      if (f.max !== null) s.maximum = f.max;
      return s;
    }
    case 'JF_BOOL':
      return { type: 'boolean' };
    default:
      return {}; // JF_JSON: any JSON value, checked by the handler
  }
}

function pathParams(pattern) {
  return [...pattern.matchAll(/\{(\w+)(?::(\w+))?\}/g)].map(([, name, kind]) => ({
    name,
    in: 'path',
    required: true,
    schema: kind === 'int' ? { type: 'integer', minimum: 0, maximum: 2 ** 53 }
      : kind === 'token' ? { type: 'string', pattern: '^[A-Za-z0-9_-]{16,86}$' }
        : { type: 'string', pattern: ID_PATTERN },
  }));
}

function successContent(r) {
  const p = r.pattern;
  if (/\/events$|^\/api\/live$/.test(p)) return { 'text/event-stream': { schema: { type: 'string' } } };
  if (p === '/metrics') return { 'text/plain': { schema: { type: 'string' } } };
  if (p.endsWith('.pdf')) return { 'application/pdf': { schema: { type: 'string', format: 'binary' } } };
  if (p.endsWith('.csv')) return { 'text/csv': { schema: { type: 'string' } } };
  if (p.endsWith('.html') || /^\/(public|m)(\/|$)/.test(p)) return { 'text/html': { schema: { type: 'string' } } };
  if (p === '/api/documents/{id}') return { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } };
  return { 'application/json': { schema: { type: 'object' } } };
}

function requestBody(r, spec) {
  if (r.bodyMax === '0') return undefined;
  if (r.hasSink) {
    return {
      required: true,
      description: `The file's bytes as the raw body (at most ${r.bodyMax}); its name in X-Filename (URL-encoded).`,
      content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
    };
  }
  if (r.bodyMax === 'CSV_BODY') {
    return { required: true, content: { 'text/csv': { schema: { type: 'string' } } } };
  }
  const schema = { type: 'object', additionalProperties: false, properties: {} };
  const required = [];
  for (const f of spec ? spec.fields : []) {
    schema.properties[f.name] = fieldSchema(f, spec.allowed[f.name]);
    if (f.required) required.push(f.name);
  }
  if (required.length) schema.required = required;
  return { required: !!(spec && !spec.optionalBody && spec.fields.length), content: { 'application/json': { schema } } };
}

export function buildDocument() {
  const routes = readRoutes();
  const fns = readFunctions();
  const paths = {};
  const seenIds = new Map();
  for (const r of routes) {
    const p = r.pattern.replace(/\{(\w+):\w+\}/g, '{$1}');
    paths[p] ??= {};
    const n = (seenIds.get(r.handler) || 0) + 1;
    seenIds.set(r.handler, n);
    const spec = r.bodyMax === '0' ? null : handlerSpec(fns, r.handler);
    const op = {
      operationId: n > 1 ? `${r.handler}_${n}` : r.handler,
      tags: [r.pattern.split('/')[r.pattern.startsWith('/api/') ? 2 : 1] || 'root'],
      summary: `${r.method} ${p}`,
    };
    const params = [...pathParams(r.pattern), ...queryParams(fns, r.handler)];
    if (params.length) op.parameters = params;
    const body = requestBody(r, spec);
    if (body) op.requestBody = body;
    op.responses = {
      '2XX': { description: 'Success', content: successContent(r) },
      '4XX': { $ref: '#/components/responses/Error' },
      '5XX': { $ref: '#/components/responses/Error' },
    };
    paths[p][r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'obrady',
      version: '0.1.0',
      summary: 'Remote and hybrid meetings and votes of collegial bodies',
      description: 'Generated by scripts/openapi.mjs from src/api/routes.c and the handlers\' field specs; '
        + 'docs/api.md describes each route in prose. Requests that change state with a session cookie '
        + 'carry Content-Type application/json and, when present, an Origin equal to the server\'s own.',
    },
    servers: [{ url: '/' }],
    security: [{}, { session: [] }],
    paths,
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'obrady_session' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', description: 'stable machine code, e.g. out_of_range' },
                message: { type: 'string', description: 'in Polish or English (Accept-Language)' },
                field: { type: 'string', description: 'the request field at fault, when one is' },
              },
            },
          },
        },
      },
      responses: {
        Error: {
          description: 'Refused; nothing was changed',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  };
}

/** What differs between two documents, route by route, in words. */
export function differences(want, have) {
  const out = [];
  for (const [p, ops] of Object.entries(want.paths)) {
    for (const [m, op] of Object.entries(ops)) {
      const h = have.paths?.[p]?.[m];
      if (!h) out.push(`missing in docs/openapi.json: ${m.toUpperCase()} ${p}`);
      else if (JSON.stringify(h) !== JSON.stringify(op)) out.push(`differs: ${m.toUpperCase()} ${p}`);
    }
  }
  for (const [p, ops] of Object.entries(have.paths || {})) {
    for (const m of Object.keys(ops)) {
      if (!want.paths[p]?.[m]) out.push(`not in src/api/routes.c any more: ${m.toUpperCase()} ${p}`);
    }
  }
  if (!out.length && JSON.stringify(want) !== JSON.stringify(have)) out.push('differs outside paths');
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const doc = buildDocument();
  const i = process.argv.indexOf('--check');
  if (i > 0) {
    const file = process.argv[i + 1];
    const diff = differences(doc, JSON.parse(fs.readFileSync(file, 'utf8')));
    if (diff.length) {
      console.error(`${file} is out of date (run \`make openapi\`):\n  ${diff.join('\n  ')}`);
      process.exit(1);
    }
  } else {
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  }
}
