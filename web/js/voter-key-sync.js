// voter-key-sync.js — keeps the server's record of the member's voting key
// (GET/PUT /api/me/voter-key) in step with this device (evote/voter-key.js).
// On start, a member without a registered key registers this device's key,
// so it is in the electorate of the next secret vote; a member whose key was
// registered from another device keeps it until they vote here (the ballot's
// key then replaces it, a change the board publishes) or choose this device
// on the account page.
//
//   await syncVoterKey(me);                 // on start and after sign-in
//   await useThisDevice(me.user.id);        // register this device's key now
//   const s = await voterKeyStatus(me.user.id);  // {registered, device}

import { get, put } from './api.js';
import { deviceKey, localKeyHex } from './evote/voter-key.js';

const DONE = (uid) => `obrady.voterKeyRegistered.${uid}`;

function remember(uid, hex) {
  try {
    localStorage.setItem(DONE(uid), hex);
  } catch {
    /* storage off: asked again next time */
  }
}

async function registered() {
  const r = await get('/api/me/voter-key');
  return r && r.public_key ? r : null;
}

/** {registered: {public_key, fingerprint, registered_at} | null, device: {hex, fingerprint}}. */
export async function voterKeyStatus(uid) {
  const [reg, dev] = await Promise.all([registered(), deviceKey(uid)]);
  return { registered: reg, device: { hex: dev.hex, fingerprint: dev.fingerprint } };
}

/** Registers this device's key for uid (replacing another device's). */
export async function useThisDevice(uid) {
  const dev = await deviceKey(uid);
  const r = await put('/api/me/voter-key', { public_key: dev.hex });
  remember(uid, dev.hex);
  return r;
}

/** Registers this device's key when the member has none registered; cheap when done before. */
export async function syncVoterKey(me) {
  if (!me || !me.user) return;
  const uid = me.user.id;
  const local = localKeyHex(uid);
  let done = null;
  try {
    done = localStorage.getItem(DONE(uid));
  } catch {
    /* no storage */
  }
  if (local && done === local) return;
  const reg = await registered();
  const dev = await deviceKey(uid);
  if (!reg) await useThisDevice(uid);
  else if (reg.public_key === dev.hex) remember(uid, dev.hex);
}

/** Before a ballot signed with hex goes out: that key must be the registered one. */
export async function ensureRegistered(uid, hex) {
  const reg = await registered();
  if (reg && reg.public_key === hex) return;
  await useThisDevice(uid);
}
