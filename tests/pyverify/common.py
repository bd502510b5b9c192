"""common.py — the third verifier's reading of the specification's basics
(docs/verifiable-voting.md): the JSON profile (duplicate keys, reals, unsafe
integers, NUL and lone surrogates refused), canonical JSON, the framed hash
to scalar Hs, hex encodings of points and scalars. raise Fail(message) marks
the first failure; the message names the item."""

import hashlib
import json
import sodium as S

TEXT_MAX = 10000
SAFE = 2**53 - 1


class Fail(Exception):
    pass


def need(cond, msg):
    if not cond:
        raise Fail(msg)


# ---- the JSON profile -------------------------------------------------------
def _pairs(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise Fail(f'not JSON under the board profile: the key "{k[:40]}" repeats')
        obj[k] = v
    return obj


def _real(s):
    raise Fail(f"not JSON under the board profile: {s} is a real number")


def _int(s):
    n = int(s)
    if abs(n) > SAFE:
        raise Fail(f"not JSON under the board profile: {s} is outside ±(2^53 − 1)")
    return n


def _strings_ok(v):
    if isinstance(v, str):
        if "\0" in v:
            raise Fail("not JSON under the board profile: a string holds NUL")
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:
            raise Fail("not JSON under the board profile: a lone surrogate")
    elif isinstance(v, dict):
        for k, x in v.items():
            _strings_ok(k)
            _strings_ok(x)
    elif isinstance(v, list):
        for x in v:
            _strings_ok(x)


def parse_profile(text):
    def bad_const(c):
        raise Fail(f"not JSON under the board profile: {c}")

    try:
        v = json.loads(text, object_pairs_hook=_pairs, parse_float=_real, parse_int=_int,
                       parse_constant=bad_const)
    except json.JSONDecodeError as e:
        raise Fail(f"not JSON: {e}")
    _strings_ok(v)
    return v


def canonical(v):
    """Sorted keys (by their UTF-8 bytes), no whitespace, integers only."""
    if v is None or isinstance(v, bool):
        return json.dumps(v)
    if isinstance(v, int):
        need(abs(v) <= SAFE, "an integer outside ±(2^53 − 1) has no canonical form")
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    if isinstance(v, dict):
        keys = sorted(v, key=lambda k: k.encode("utf-8"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(v[k]) for k in keys) + "}"
    raise Fail("a value without a canonical form (a real number?)")


def sha256(b):
    return hashlib.sha256(b).digest()


def enc(b):
    return len(b).to_bytes(4, "big") + b


def hs(tag, *items):
    data = enc(tag.encode())
    for x in items:
        if isinstance(x, str):
            x = x.encode("utf-8")
        elif isinstance(x, int):
            x = x.to_bytes(8, "big")
        data += enc(x)
    return S.reduce64(hashlib.sha512(data).digest())


# ---- encodings ----------------------------------------------------------------
def is_hex(s, n):
    return isinstance(s, str) and len(s) == 2 * n and all(c in "0123456789abcdef" for c in s)


def get_point(s, where, identity_ok=False):
    need(is_hex(s, 32), f"{where}: not 64 lowercase hex digits")
    p = bytes.fromhex(s)
    if p == S.IDENTITY:
        need(identity_ok, f"{where}: the identity is not allowed here")
        return p
    need(S.is_valid_point(p), f"{where}: not a valid point")
    return p


def get_scalar(s, where):
    need(is_hex(s, 32), f"{where}: not 64 lowercase hex digits")
    b = bytes.fromhex(s)
    need(S.is_canonical_scalar(b), f"{where}: not a canonical scalar")
    return b


def exactly(o, keys):
    return isinstance(o, dict) and set(o) == set(keys)


def is_text(s, empty_ok=False):
    return (isinstance(s, str) and (empty_ok or s) and "\0" not in s
            and len(s.encode("utf-8")) <= TEXT_MAX)


def is_int(n):
    return isinstance(n, int) and not isinstance(n, bool)


def lin(s, P, c, X):
    return S.sub(S.mul(s, P), S.mul(c, X))


def lin_g(s, c, X):
    return S.sub(S.mul_g(s), S.mul(c, X))


def small(m):
    return S.mul_g(S.scalar(m)) if m else S.IDENTITY
