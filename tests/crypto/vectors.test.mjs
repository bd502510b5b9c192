// Cross-implementation known answers: tests/vectors/*.json, written by the C
// side (tests/vectors/gen_evote_vectors.c). From the vectors' fixed inputs the
// JS modules must reproduce every key, proof, ballot, tracker, decryption
// and the whole board byte for byte, and verify the boards.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { group as G, election as E, ballot as BL, trustee as T, board as B, verify as V } from './fixture.mjs';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'vectors');
// The conformance suite (evote-v2-suite.json) has its own reader: suite.test.mjs.
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json') && !f.endsWith('-suite.json')).sort();

/** A scalar source that hands out the given hex scalars in order and fails when they run out or are left over. */
function queue(hexes) {
  const q = hexes.map((h) => G.parseScalar(h, 'vector input'));
  const rnd = () => {
    if (!q.length) throw new Error('vector: the prover wanted more randomness than the vector gives');
    return q.shift();
  };
  rnd.left = () => q.length;
  return rnd;
}

const itemOf = (it) => ('string' in it ? it.string : 'hex' in it ? G.hexToBytes(it.hex) : it.u64);

test('there are vectors to check', () => {
  assert.ok(files.length >= 1, `no *.json in ${DIR}`);
});

for (const file of files) {
  const vec = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));

  test(`${file}: canonical JSON and its SHA-256`, () => {
    for (const c of vec.canonical_json) {
      assert.equal(G.canonicalJson(c.value), c.canonical);
      assert.equal(G.sha256Hex(c.canonical), c.sha256);
    }
  });

  test(`${file}: hash to scalar and the generator`, () => {
    for (const h of vec.hash_to_scalar) {
      if ('point' in h) {
        assert.equal(G.bytesToHex(G.generator()), h.point);
        continue;
      }
      assert.equal(G.bytesToHex(G.Hs(h.tag, ...h.items.map(itemOf))), h.scalar);
    }
  });

  for (const el of vec.elections) {
    const name = `${file}: election ${el.election.vote_id}`;

    test(`${name}: trustee keys and proofs of knowledge`, () => {
      for (const ti of el.trustee_inputs) {
        const g = el.election.trustee_groups[ti.group];
        const want = g.members.find((m) => m.id === ti.member_id);
        const rnd = queue([...ti.a, ti.w]);
        const made = T.generateTrustee({ voteId: el.election.vote_id, memberId: ti.member_id, name: want.name, index: ti.index, threshold: g.threshold }, rnd);
        assert.equal(rnd.left(), 0);
        assert.deepEqual(made.public.member, want, `member ${ti.member_id}`);
      }
      const rebuilt = B.makeElection({
        voteId: el.election.vote_id, meetingId: el.election.meeting_id, title: el.election.title, question: el.election.question,
        options: el.election.options, min: el.election.min, max: el.election.max, groups: el.election.trustee_groups,
      });
      assert.equal(G.canonicalJson(rebuilt), G.canonicalJson(el.election));
    });

    test(`${name}: election hash`, () => {
      assert.equal(G.bytesToHex(E.electionHash(el.election)), el.election_hash);
      assert.equal(E.parseElection(el.election).ehHex, el.election_hash);
    });

    test(`${name}: ballots, proofs and trackers byte for byte`, () => {
      const ctx = E.parseElection(el.election);
      for (const [i, b] of el.ballots.entries()) {
        const inp = b.inputs;
        const seq = [];
        for (const c of inp.choices) seq.push(c.r, c.w, c.c_fake, c.s_fake);
        seq.push(inp.sum_w);
        for (const f of inp.sum_fake) if (f) seq.push(f.c, f.s);
        const rnd = queue(seq);
        const made = BL.encryptBallot(ctx, inp.choices.map((c) => c.v), { credential: inp.credential, rnd });
        assert.equal(rnd.left(), 0);
        assert.equal(G.canonicalJson(made.ballot), G.canonicalJson(b.ballot), `ballot ${i}`);
        assert.equal(made.tracker, b.tracker);
        assert.equal(BL.shortTracker(made.tracker), b.tracker_short);
        BL.verifyBallot(ctx, b.ballot, `vector ballot ${i}`);
      }
    });

    test(`${name}: the board verifies, and JS rebuilds it byte for byte`, () => {
      const r = V.checkBoard(el.board);
      assert.equal(r.ok, true, `${r.where}: ${r.message}`);
      assert.deepEqual(r.result, el.board.result);
      // Each decrypting member's share x_j = Σ_i f_i(j) from the trustee inputs.
      const shareOf = (gi, j) => {
        let x = new Uint8Array(32);
        for (const ti of el.trustee_inputs.filter((t) => t.group === gi)) x = G.scalarAdd(x, T.evalPolynomial(ti.a.map((a) => G.parseScalar(a, 'a')), j));
        return G.bytesToHex(x);
      };
      const decryptors = el.decryption_inputs.map((d) => ({ group: d.group, index: d.index, x: shareOf(d.group, d.index), rnd: queue(d.w) }));
      const js = B.buildBoard(el.election, el.ballots.map((b) => ({ ...b.ballot, tracker: b.tracker })), {
        voters: el.board.voters, eligibleCount: el.board.eligible_count, decryptors, logHead: el.board.log_head,
      });
      assert.equal(B.boardJson(js), G.canonicalJson(el.board));
    });
  }
}
