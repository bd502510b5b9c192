// The front end keeps to the CSP (issue 18): no inline script or style
// anywhere in web/ (vendor copies aside), no style attributes or inline event
// handlers in HTML or set from scripts, and the policy itself never allows
// 'unsafe-inline' or 'unsafe-eval'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function files(dir, exts, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'vendor') files(p, exts, out);
    } else if (exts.some((x) => e.name.endsWith(x))) out.push(p);
  }
  return out;
}

test('web/ HTML has no inline script, style element, style attribute or event handler', () => {
  const html = files(path.join(REPO, 'web'), ['.html']);
  assert.ok(html.length >= 1);
  for (const f of html) {
    const s = fs.readFileSync(f, 'utf8');
    for (const m of s.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      assert.match(m[1], /\bsrc=/, `${f}: inline <script>`);
      assert.equal(m[2].trim(), '', `${f}: a script element with a body`);
    }
    assert.doesNotMatch(s, /<style\b/i, `${f}: <style>`);
    assert.doesNotMatch(s, /\sstyle\s*=/i, `${f}: style attribute`);
    assert.doesNotMatch(s, /\son[a-z]+\s*=/i, `${f}: inline event handler`);
  }
});

test('web/ scripts set no style attribute and inject no markup with styles or handlers', () => {
  const js = files(path.join(REPO, 'web'), ['.js', '.mjs']);
  assert.ok(js.length >= 10);
  for (const f of js) {
    const s = fs.readFileSync(f, 'utf8');
    assert.doesNotMatch(s, /setAttribute\(\s*['"](style|on[a-z]+)['"]/, `${f}: setAttribute of style or a handler`);
    assert.doesNotMatch(s, /\.cssText\s*=/, `${f}: cssText`);
    assert.doesNotMatch(s, /(innerHTML|outerHTML|insertAdjacentHTML)[^;\n]*(style=|<script|\son[a-z]+=)/i, `${f}: markup with styles or handlers`);
    assert.doesNotMatch(s, /\{\s*style\s*:/, `${f}: a style property in an element factory`);
  }
});

test('the CSP allows neither unsafe-inline nor unsafe-eval', () => {
  const src = fs.readFileSync(path.join(REPO, 'src', 'http', 'req.c'), 'utf8');
  const m = /"Content-Security-Policy",\s*((?:"[^"]*"\s*)+)/.exec(src);
  assert.ok(m, 'the CSP is set in src/http/req.c');
  const csp = m[1].replace(/"\s*"/g, '').replace(/"/g, '');
  assert.match(csp, /default-src 'self'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/, csp);
});
