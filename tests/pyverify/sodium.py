"""sodium.py — the few libsodium functions the third verifier needs, through
ctypes (Python 3 standard library only): ristretto255 points and scalars,
Ed25519 signature checks. Written from docs/verifiable-voting.md, not from
the C or JavaScript code. Points are 32-byte `bytes`; the identity is 32
zero bytes, and (as the specification says) 0·P = s·O = O."""

import ctypes
import ctypes.util

_name = ctypes.util.find_library("sodium") or "libsodium.so.23"
_lib = ctypes.CDLL(_name)
if _lib.sodium_init() < 0:
    raise RuntimeError("libsodium failed to initialise")

IDENTITY = bytes(32)
L = 2**252 + 27742317777372353535851937790883648493
G = bytes.fromhex("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76")


def _out(n=32):
    return ctypes.create_string_buffer(n)


def is_valid_point(p):
    return len(p) == 32 and _lib.crypto_core_ristretto255_is_valid_point(p) == 1


def add(p, q):
    o = _out()
    if _lib.crypto_core_ristretto255_add(o, p, q) != 0:
        raise ValueError("point addition of an invalid point")
    return o.raw


def sub(p, q):
    o = _out()
    if _lib.crypto_core_ristretto255_sub(o, p, q) != 0:
        raise ValueError("point subtraction of an invalid point")
    return o.raw


def mul(s, p):
    """s·P; the identity when s is 0 or P is the identity."""
    o = _out()
    if _lib.crypto_scalarmult_ristretto255(o, s, p) != 0:
        return IDENTITY
    return o.raw


def mul_g(s):
    o = _out()
    if _lib.crypto_scalarmult_ristretto255_base(o, s) != 0:
        return IDENTITY
    return o.raw


def scalar(n):
    return (n % L).to_bytes(32, "little")


def scalar_int(b):
    return int.from_bytes(b, "little")


def is_canonical_scalar(b):
    return len(b) == 32 and scalar_int(b) < L


def reduce64(b):
    o = _out()
    _lib.crypto_core_ristretto255_scalar_reduce(o, b)
    return o.raw


def sign_verify(sig, msg, pk):
    return _lib.crypto_sign_verify_detached(sig, msg, ctypes.c_ulonglong(len(msg)), pk) == 0


def is_ed25519_key(pk):
    o = _out()
    return len(pk) == 32 and _lib.crypto_sign_ed25519_pk_to_curve25519(o, pk) == 0
