// weights.js — members' weights (shares) as the server sends them: exact
// decimal strings ("0.0473"). Sums are done in integer millionths (BigInt),
// never in floating point, so the screen shows what the protocol says.

const ONE = 1000000n;

/** "0.0473" → 47300n; null for anything that is not a plain decimal. */
export function toMicro(s) {
  const m = /^(\d{1,7})(?:\.(\d{1,6}))?$/.exec(String(s ?? ''));
  if (!m) return null;
  return BigInt(m[1]) * ONE + BigInt((m[2] || '').padEnd(6, '0'));
}

/** 47300n → "0.0473" (the shortest decimal, as the server writes it). */
export function fromMicro(n) {
  const whole = n / ONE;
  const frac = (n % ONE).toString().padStart(6, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** The shares cast so far and of the whole electorate, from a named list
 *  whose rows carry weights; null when the rows have none. */
export function liveShares(named) {
  if (!Array.isArray(named) || !named.length || !named.some((r) => r.weight !== undefined)) return null;
  let cast = 0n;
  let all = 0n;
  for (const r of named) {
    const w = toMicro(r.weight) ?? 0n;
    all += w;
    const voted = r.choice !== undefined ? r.choice !== null : r.choices !== null && r.choices !== undefined;
    if (voted) cast += w;
  }
  return { cast: fromMicro(cast), eligible: fromMicro(all) };
}
