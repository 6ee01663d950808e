"""Signing keys: ES256 (P-256) key sets, one per token purpose, RS256 (RSA 2048) sets for OpenID
Connect ID tokens and for access tokens to your own API (`RS256_PURPOSES`, declared in api/access.py),
and how a set rotates. Pure: the stored text and the clock are arguments.

Why RS256 for those: OpenID Connect Discovery requires RS256 of every provider, and API Gateway's
HTTP API JWT authorizer verifies RSA keys only. Both kinds live in the one JWKS, told apart by `kty`,
`alg` and the purpose their `kid` starts with; each set has one algorithm, never both.

Why ES256 and not EdDSA: every mainstream JWT verifier checks ES256 (PyJWT, jose/node, java-jwt,
nimbus, golang-jwt, .NET, AWS API Gateway HTTP API JWT authorizers, Kong, Envoy), while EdDSA is
missing or optional in several (API Gateway's JWT authorizer, .NET, older java-jwt); ES256 also
verifies faster here (113 vs 154 us p50).

Signatures are deterministic (RFC 6979): a token re-minted from the same claims with the same key is
bit for bit the same, which the refresh grace rule relies on.

A stored set is JSON `{"keys": [{"kid", "d", "activeFrom", "retireAt"}]}` (an RSA key: `"kty": "RSA"`
and its primes `p`, `q`); before the first rotation it is the random string CloudFormation generated,
from which generation 0 is derived (HKDF; for RSA, the primes are searched for in an HKDF stream,
about 0.3 s once per container until the first rotation stores real keys), so a fresh stack signs
at once. The key that signs is the newest whose `activeFrom` has come; a key verifies
until its `retireAt`. Rotation (`advance`) publishes a new key `lead` seconds before it signs (the
caller's `Settings.key_publication_lead`: twice a container's key-set cache plus the JWKS max-age),
so every container's cached copy, and every client's JWKS taken from one, knows it before any token
carries it; and retires the old key once the longest-lived token it can have signed has expired.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import NamedTuple

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand

from latchkey.rules import tokens
from latchkey.rules.tokens import ALGORITHM, CURVE_ORDER, PURPOSES, RS256, RS256_PURPOSES

RETIRE_MARGIN = 60  # clock skew between containers
KEY_SET_PURPOSES = PURPOSES  # every key set the rotation keeps (the ID tokens' too: api/access.py declares it)
_CURVE = ec.SECP256R1()
_RSA_BITS, _RSA_EXPONENT = 2048, 65537
_SMALL_PRIMES = tuple(p for p in range(3, 2000, 2) if all(p % q for q in range(3, int(p ** 0.5) + 1, 2)))


class Key(NamedTuple):
    kid: str
    public: ec.EllipticCurvePublicKey | rsa.RSAPublicKey
    private: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | None = None
    active_from: int = 0  # signs from then on (until a newer key's active_from)
    retire_at: int = 0  # 0: no end yet; else verifies until then

    def verifies_at(self, now: int) -> bool:
        return not self.retire_at or now < self.retire_at


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _xy(public: ec.EllipticCurvePublicKey) -> tuple[str, str]:
    numbers = public.public_numbers()
    return _b64(numbers.x.to_bytes(32, "big")), _b64(numbers.y.to_bytes(32, "big"))


def _int_b64(value: int) -> str:
    return _b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _b64_int(text: str) -> int:
    return int.from_bytes(_unb64(text), "big")


def _rsa_members(public: rsa.RSAPublicKey) -> dict:
    numbers = public.public_numbers()
    return {"kty": "RSA", "n": _int_b64(numbers.n), "e": _int_b64(numbers.e)}


def _kid(purpose: str, public: ec.EllipticCurvePublicKey | rsa.RSAPublicKey) -> str:
    if isinstance(public, rsa.RSAPublicKey):
        members = _rsa_members(public)
    else:
        x, y = _xy(public)
        members = {"crv": "P-256", "kty": "EC", "x": x, "y": y}
    # RFC 7638 thumbprint: the required members, sorted, no blanks.
    thumbprint = hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode()).digest()
    return f"{purpose}-{_b64(thumbprint)[:22]}"


def _key(purpose: str, private: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey, active_from: int = 0,
         retire_at: int = 0) -> Key:
    public = private.public_key()
    return Key(_kid(purpose, public), public, private, active_from, retire_at)


def from_seed(purpose: str, seed: str) -> Key:
    """Generation 0: derived from the stack's generated secret string, the same in every container."""
    if purpose in RS256_PURPOSES:
        return _key(purpose, _rsa_from_seed(seed.encode(), f"latchkey {RS256} {purpose} generation 0"))
    okm = HKDF(algorithm=hashes.SHA256(), length=48, salt=None,
               info=f"latchkey {ALGORITHM} {purpose} generation 0".encode()).derive(seed.encode())
    return _key(purpose, ec.derive_private_key(int.from_bytes(okm, "big") % (CURVE_ORDER - 1) + 1, _CURVE))


def generate(purpose: str, active_from: int) -> Key:
    if purpose in RS256_PURPOSES:
        return _key(purpose, rsa.generate_private_key(_RSA_EXPONENT, _RSA_BITS), active_from)
    return _key(purpose, ec.generate_private_key(_CURVE), active_from)


def _rsa_from_seed(seed: bytes, info: str) -> rsa.RSAPrivateKey:
    """An RSA key whose primes are the first ones found in an HKDF stream of `seed`: the same key from
    the same seed in every container, as unpredictable as the seed."""
    prk = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info.encode()).derive(seed)
    blocks = (int.from_bytes(HKDFExpand(hashes.SHA256(), _RSA_BITS // 16, counter.to_bytes(4, "big")).derive(prk),
                             "big") for counter in range(1 << 32))
    p = _prime_from(blocks)
    q = _prime_from(blocks)
    while q == p:
        q = _prime_from(blocks)
    return _rsa_private(p, q)


def _prime_from(blocks) -> int:
    """The first candidate of `blocks` (top two bits and the low bit set, so p*q has the full size)
    that is prime (Miller-Rabin, bases from the stream: FIPS 186-5 B.3.1's rounds for 1,024 bits) and
    whose p - 1 is prime to the public exponent."""
    bits = _RSA_BITS // 2
    for block in blocks:
        candidate = (block & ((1 << bits) - 1)) | (3 << (bits - 2)) | 1
        if (candidate - 1) % _RSA_EXPONENT == 0 or not _probably_prime(candidate, (2,)):
            continue
        if _probably_prime(candidate, tuple(next(blocks) % (candidate - 3) + 2 for _ in range(5))):
            return candidate
    raise LookupError("no prime found")  # pragma: no cover - the stream is unbounded in practice


def _probably_prime(n: int, bases: tuple[int, ...]) -> bool:
    if any(n % p == 0 for p in _SMALL_PRIMES):
        return n in _SMALL_PRIMES
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for base in bases:
        x = pow(base, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _rsa_private(p: int, q: int) -> rsa.RSAPrivateKey:
    d = pow(_RSA_EXPONENT, -1, (p - 1) * (q - 1))
    public = rsa.RSAPublicNumbers(_RSA_EXPONENT, p * q)
    return rsa.RSAPrivateNumbers(p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q),
                                 public).private_key()


def algorithm(purpose: str) -> str:
    """The one algorithm a purpose's keys sign and verify with (api/access.py declares it)."""
    return RS256 if purpose in RS256_PURPOSES else ALGORITHM


def parse_private(purpose: str, text: str) -> tuple[list[Key], bool]:
    """The keys of a stored private set, and whether it is still the generated seed (never rotated);
    an entry of another algorithm than the purpose's is not a key of it."""
    try:
        stored = json.loads(text)
    except ValueError:
        stored = None
    if not isinstance(stored, dict) or not isinstance(stored.get("keys"), list):
        return [from_seed(purpose, text)], True
    keys = []
    for entry in stored["keys"]:
        if (entry.get("kty") == "RSA") != (algorithm(purpose) == RS256):
            continue
        if entry.get("kty") == "RSA":
            private = _rsa_private(_b64_int(entry["p"]), _b64_int(entry["q"]))
        else:
            private = ec.derive_private_key(int.from_bytes(_unb64(entry["d"]), "big"), _CURVE)
        keys.append(_key(purpose, private, int(entry["activeFrom"]), int(entry.get("retireAt") or 0)))
    return keys, False


def _private_members(private: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey) -> dict:
    if isinstance(private, rsa.RSAPrivateKey):
        numbers = private.private_numbers()
        return {"kty": "RSA", "p": _int_b64(numbers.p), "q": _int_b64(numbers.q)}
    return {"d": _b64(private.private_numbers().private_value.to_bytes(32, "big"))}


def dump_private(keys: list[Key]) -> str:
    return json.dumps({"keys": [
        {"kid": k.kid, **_private_members(k.private), "activeFrom": k.active_from, "retireAt": k.retire_at or None}
        for k in keys if k.private]})


def jwk(key: Key) -> dict:
    """The public JWK of a key, as a JWKS lists it (RFC 7517/7518)."""
    if isinstance(key.public, rsa.RSAPublicKey):
        return {**_rsa_members(key.public), "kid": key.kid, "alg": RS256, "use": "sig"}
    x, y = _xy(key.public)
    return {"kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": key.kid, "alg": ALGORITHM, "use": "sig"}


def dump_public(keys: list[Key]) -> str:
    return json.dumps({"keys": [{**jwk(k), "activeFrom": k.active_from, "retireAt": k.retire_at or None}
                                for k in keys]}, sort_keys=True)


def parse_public(text: str, purpose: str | None = None) -> list[Key]:
    """The keys of a published set; none while it is still the generated placeholder. With `purpose`,
    only its own: its algorithm's, with kids that name it (the algorithm stays pinned per set)."""
    try:
        stored = json.loads(text)
    except ValueError:
        return []
    if not isinstance(stored, dict) or not isinstance(stored.get("keys"), list):
        return []
    keys = []
    for entry in stored["keys"]:
        if entry.get("kty") == "RSA" and entry.get("alg") == RS256:
            public = rsa.RSAPublicNumbers(_b64_int(entry["e"]), _b64_int(entry["n"])).public_key()
        elif entry.get("kty") == "EC" and entry.get("crv") == "P-256" and entry.get("alg") == ALGORITHM:
            public = ec.EllipticCurvePublicNumbers(int.from_bytes(_unb64(entry["x"]), "big"),
                                                   int.from_bytes(_unb64(entry["y"]), "big"), _CURVE).public_key()
        else:
            continue
        if purpose and (entry.get("alg") != algorithm(purpose) or tokens.purpose_of(entry.get("kid")) != purpose):
            continue
        keys.append(Key(entry["kid"], public, None, int(entry.get("activeFrom") or 0),
                        int(entry.get("retireAt") or 0)))
    return keys


def signing_key(keys: list[Key], now: int) -> Key:
    """The key that signs at `now`: the newest already active (never one still being published)."""
    active = [k for k in keys if k.active_from <= now and k.private and k.verifies_at(now)]
    if not active:
        raise LookupError("no signing key is active")
    return max(active, key=lambda k: k.active_from)


def verifying(keys: list[Key], now: int) -> dict[str, ec.EllipticCurvePublicKey]:
    """kid -> public key, for every key that may still verify a live token (and the next one)."""
    return {k.kid: k.public for k in keys if k.verifies_at(now)}


def advance(purpose: str, keys: list[Key], now: int, *, lifetime: int, rotate_after: int, lead: int,
            force: bool = False) -> list[Key]:
    """One idempotent step of rotation: drop retired keys; and, when the signing key is
    `rotate_after` old (or `force`) and no successor is on its way, publish one that signs from
    `now + lead`, and retire the current key `lifetime` (the longest a token of this purpose
    lives) after that. Nobody is signed out: every token keeps verifying until it expires."""
    keys = [k for k in keys if k.verifies_at(now)]
    current = signing_key(keys, now)
    upcoming = [k for k in keys if k.active_from > now]
    if upcoming or not (force or now - current.active_from >= rotate_after):
        return keys
    successor = generate(purpose, now + lead)
    retire_at = successor.active_from + lifetime + RETIRE_MARGIN
    keys = [k._replace(retire_at=min(k.retire_at or retire_at, retire_at)) for k in keys]
    return [*keys, successor]
