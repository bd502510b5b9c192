// The spec v2 conformance suite (tests/vectors/evote-v2-suite.json, made by
// tests/vectors/gen_evote_suite.c) through the browser's verifier: the board
// text is read by the strict JSON reader the page uses (evote/json.js), every
// case reaches its expected verdict and a failure names every word the case
// lists. C (tests/unit/test_evote_suite.c) and Python (tests/pyverify/) read
// the same file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { verify } from './fixture.mjs';
import { parseStrictJson } from '../../web/js/evote/json.js';

const SUITE = new URL('../vectors/evote-v2-suite.json', import.meta.url);
const suite = JSON.parse(fs.readFileSync(SUITE, 'utf8'));

function verdictOf(c) {
  let board;
  try {
    board = 'board_text' in c ? parseStrictJson(c.board_text) : parseStrictJson(JSON.stringify(c.board));
  } catch (e) {
    return { ok: false, code: e.code, where: e.where, message: e.message };
  }
  return verify.checkBoard(board);
}

test('the suite has valid and invalid boards of every kind', () => {
  assert.equal(suite.format, 'obrady-evote-conformance');
  assert.equal(suite.version, 2);
  assert.ok(suite.cases.filter((c) => c.expect.ok).length >= 8);
  assert.ok(suite.cases.filter((c) => !c.expect.ok).length >= 15);
});

for (const c of suite.cases) {
  test(`case ${c.name}: ${c.about}`, () => {
    const r = verdictOf(c);
    const text = r.ok ? 'valid' : `${r.code} at ${r.where}: ${r.message}`;
    assert.equal(r.ok, c.expect.ok, `expected ${c.expect.ok ? 'valid' : 'a failure'}, got ${text}`);
    for (const m of c.expect.mentions) assert.ok(text.includes(m), `the failure "${text}" does not name "${m}"`);
    if (r.ok && 'board' in c) {
      assert.equal(r.version, 2);
      assert.equal(r.sign_key, suite.installation_key);
      assert.equal(r.board_hash, c.board.board_hash);
    }
  });
}
