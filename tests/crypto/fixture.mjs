// Shared set-up for the evote tests: loads libsodium (make web-vendor must
// have run) and builds whole elections and boards through the same modules
// the browser uses.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const vendor = fileURLToPath(new URL('../../web/vendor/libsodium-wrappers.mjs', import.meta.url));
if (!existsSync(vendor)) throw new Error(`${vendor} is missing: run \`make web-vendor\` first`);

const E = '../../web/js/evote/';
export const sodium = await import(`${E}sodium.js`);
await sodium.ready();
export const group = await import(`${E}group.js`);
export const proofs = await import(`${E}proofs.js`);
export const election = await import(`${E}election.js`);
export const ballot = await import(`${E}ballot.js`);
export const trustee = await import(`${E}trustee.js`);
export const tally = await import(`${E}tally.js`);
export const board = await import(`${E}board.js`);
export const verify = await import(`${E}verify.js`);

/**
 * A complete election: groups = [[threshold, memberCount], ...]; returns
 * { election, ctx, keys: per group the trustees with their shares }.
 */
export function makeSetup({ voteId = 'vote-1', options = ['za', 'przeciw', 'wstrzymuję się'], min = 1, max = 1, groups = [[1, 1]] } = {}) {
  const keys = groups.map(([t, n], gi) => board.runGroupKeygen(voteId, t, Array.from({ length: n }, (_, i) => ({ id: `g${gi}m${i + 1}`, name: `Trustee ${gi}.${i + 1}` }))));
  const el = board.makeElection({ voteId, meetingId: 'meeting-1', title: 'Głosowanie', question: 'Czy przyjąć uchwałę?', options, min, max, groups: keys.map((k) => k.group) });
  return { election: el, ctx: election.parseElection(el), keys };
}

/** Encrypts every choice vector and returns ballots with their trackers. */
export function castAll(ctx, choiceVectors) {
  return choiceVectors.map((c) => {
    const m = ballot.encryptBallot(ctx, c);
    return { ...m.ballot, tracker: m.tracker };
  });
}

/** Decryptors: for each group the first `threshold` trustees, or those listed in present[g]. */
export function decryptorsOf(keys, present) {
  return keys.flatMap((k, g) => {
    const idx = present && present[g] ? present[g] : k.trustees.slice(0, k.group.threshold).map((t) => t.index);
    return idx.map((i) => ({ group: g, index: i, x: k.trustees.find((t) => t.index === i).x }));
  });
}

export function makeBoard(setup, choiceVectors, { present, eligible } = {}) {
  const ballots = castAll(setup.ctx, choiceVectors);
  return board.buildBoard(setup.election, ballots, {
    voters: ballots.map((_, i) => ({ name: `Członek ${String(i).padStart(3, '0')}` })),
    eligibleCount: eligible ?? choiceVectors.length + 2,
    decryptors: decryptorsOf(setup.keys, present),
  });
}

/** A small deterministic PRNG for test choices (not for crypto). */
export function prng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 0x100000000;
  };
}

/** A random choice vector over n options with between min and max marks. */
export function randomChoices(rand, n, min, max) {
  const m = min + Math.floor(rand() * (max - min + 1));
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const c = new Array(n).fill(0);
  for (const i of idx.slice(0, m)) c[i] = 1;
  return c;
}

/** The end (exclusive) of the JSON value starting at text[from]. */
function valueEnd(text, from) {
  let depth = 0;
  let inStr = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') {
        inStr = false;
        if (depth === 0) return i + 1;
      }
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (depth === 0 && (c === ',' || c === '}')) return i;
  }
  return text.length;
}

/**
 * Byte ranges [lo, hi) of a board's canonical text that verification must
 * protect: the election, its hash, the ballots, the aggregate, the
 * decryptions and the result (not the voters' names or the log head).
 */
export function protectedByteRanges(text) {
  return ['aggregate', 'ballots', 'decryptions', 'election', 'election_hash', 'result'].map((k) => {
    const key = `"${k}":`;
    const lo = text.indexOf(key) + key.length;
    const hi = valueEnd(text, lo);
    return [Buffer.byteLength(text.slice(0, lo)), Buffer.byteLength(text.slice(0, hi))];
  });
}
