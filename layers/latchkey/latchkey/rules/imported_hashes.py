"""Password hashes brought in from another service (the admin API's import), recognised and verified
at sign-in; pure, no I/O. On the first right password the caller replaces the hash with Latchkey's own
argon2id (`passwords.hash_password`), so each of these is verified at most until its owner signs in.

Formats (the stored string is self-describing; an import refuses anything else, per line):
- bcrypt: `$2a$`, `$2b$`, `$2y$` (the `bcrypt` library; a password is cut at 72 bytes, as bcrypt always did);
- argon2id and argon2i, PHC (`$argon2id$v=19$m=...,t=...,p=...$salt$hash`: argon2-cffi, any parameters);
- scrypt, PHC (`$scrypt$ln=<log2 N>,r=<r>,p=<p>$salt$hash`, salt and hash in unpadded base64: hashlib);
- Firebase's modified scrypt: scrypt(password, salt + salt separator, N=2^memCost, r=rounds, p=1, 64
  bytes), whose first 32 bytes are the AES-256-CTR key (zero IV) that encrypts the project's signer key:
  the result is the stored hash (github.com/firebase/scrypt). Stored as
  `$firebase-scrypt$r=<rounds>,m=<memCost>$<signer key>$<salt separator>$<salt>$<hash>` (standard base64,
  as Firebase's export gives them);
- PBKDF2-HMAC-SHA256: Django's `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>` and PHC
  `$pbkdf2-sha256$i=<iterations>[,l=<length>]$salt$hash` (passlib's `$pbkdf2-sha256$<iterations>$...` in its
  adapted base64 too).

Every comparison is constant-time (hmac.compare_digest, or the library's own)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re

BCRYPT = "bcrypt"
ARGON2 = "argon2"
SCRYPT = "scrypt"
FIREBASE_SCRYPT = "firebase-scrypt"
PBKDF2_SHA256 = "pbkdf2-sha256"
FORMATS = (BCRYPT, ARGON2, SCRYPT, FIREBASE_SCRYPT, PBKDF2_SHA256)

# Bounds on what an imported hash may make a sign-in pay (an import must not store a hash whose check
# exhausts a function's memory or time): scrypt's 128*N*r*p bytes up to 256 MiB (Firebase's usual N=2^14,
# r=8: 16 MiB), PBKDF2 up to 10 million iterations, bcrypt cost up to 16.
_MAX_SCRYPT_MEMORY = 256 * 1024 * 1024
_SCRYPT_MAXMEM = 2 * _MAX_SCRYPT_MEMORY  # hashlib's ceiling: above the bound, with scrypt's own overhead
_MAX_PBKDF2_ITERATIONS = 10_000_000
_MAX_BCRYPT_COST = 16

_BCRYPT = re.compile(r"\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}")
_ARGON2 = re.compile(r"\$argon2(id|i)\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+")
_SCRYPT = re.compile(r"\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/.]+=*)\$([A-Za-z0-9+/.]+=*)")
_FIREBASE = re.compile(r"\$firebase-scrypt\$r=(\d+),m=(\d+)\$([A-Za-z0-9+/_-]+=*)\$([A-Za-z0-9+/_-]*=*)"
                       r"\$([A-Za-z0-9+/_-]+=*)\$([A-Za-z0-9+/_-]+=*)")
_DJANGO = re.compile(r"pbkdf2_sha256\$(\d+)\$([^$]+)\$([A-Za-z0-9+/]+=*)")
_PBKDF2_PHC = re.compile(r"\$pbkdf2-sha256\$(?:i=)?(\d+)(?:,l=(\d+))?\$([A-Za-z0-9+/.]+=*)\$([A-Za-z0-9+/.]+=*)")


class UnknownHashFormat(ValueError):
    """Not a hash this module verifies (or one whose parameters are out of bounds)."""


def recognize(stored: str) -> str:
    """The format of `stored`, checking its parameters are within bounds; UnknownHashFormat otherwise."""
    if match := _BCRYPT.fullmatch(stored):
        if int(match[1]) > _MAX_BCRYPT_COST:
            raise UnknownHashFormat("bcrypt cost above 16")
        return BCRYPT
    if _ARGON2.fullmatch(stored):
        return ARGON2
    if match := _SCRYPT.fullmatch(stored):
        _scrypt_bounds(2 ** min(int(match[1]), 64), int(match[2]), int(match[3]))
        return SCRYPT
    if match := _FIREBASE.fullmatch(stored):
        _scrypt_bounds(2 ** min(int(match[2]), 64), int(match[1]), 1)
        return FIREBASE_SCRYPT
    if match := _DJANGO.fullmatch(stored) or _PBKDF2_PHC.fullmatch(stored):
        if not 1 <= int(match[1]) <= _MAX_PBKDF2_ITERATIONS:
            raise UnknownHashFormat("PBKDF2 iterations out of bounds")
        return PBKDF2_SHA256
    raise UnknownHashFormat("not bcrypt, argon2id/argon2i, scrypt, Firebase scrypt or PBKDF2-SHA256")


def firebase_hash(password_hash: str, salt: str, signer_key: str, salt_separator: str, rounds: int,
                  mem_cost: int) -> str:
    """The stored form of a Firebase export's user (`passwordHash`, `salt`) with the project's hash
    parameters (Firebase console: Authentication > Users > Password hash parameters)."""
    return f"$firebase-scrypt$r={rounds},m={mem_cost}${signer_key}${salt_separator}${salt}${password_hash}"


def verify(stored: str, password: str) -> bool:
    """True if `password` is the one `stored` was made from. UnknownHashFormat if it is no format here."""
    kind = recognize(stored)
    secret = password.encode("utf-8")
    if kind == BCRYPT:
        import bcrypt  # on first use: only a sign-in against an imported bcrypt hash pays its import

        return bcrypt.checkpw(secret[:72], stored.encode())
    if kind == ARGON2:
        from argon2 import PasswordHasher
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return PasswordHasher().verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    if kind == SCRYPT:
        ln, r, p, salt, expected = _SCRYPT.fullmatch(stored).groups()
        want = _b64(expected)
        got = hashlib.scrypt(secret, salt=_b64(salt), n=2 ** int(ln), r=int(r), p=int(p), maxmem=_SCRYPT_MAXMEM,
                             dklen=len(want))
        return hmac.compare_digest(got, want)
    if kind == FIREBASE_SCRYPT:
        rounds, mem_cost, signer_key, separator, salt, expected = _FIREBASE.fullmatch(stored).groups()
        return hmac.compare_digest(_firebase(secret, _b64(salt) + _b64(separator), _b64(signer_key), int(rounds),
                                             int(mem_cost)), _b64(expected))
    if match := _DJANGO.fullmatch(stored):
        iterations, salt, expected = match.groups()
        got = hashlib.pbkdf2_hmac("sha256", secret, salt.encode(), int(iterations))
        return hmac.compare_digest(base64.b64encode(got).decode(), expected)
    iterations, length, salt, expected = _PBKDF2_PHC.fullmatch(stored).groups()
    want = _b64(expected)
    got = hashlib.pbkdf2_hmac("sha256", secret, _b64(salt), int(iterations), int(length or len(want)))
    return hmac.compare_digest(got, want)


def _firebase(password: bytes, salt: bytes, signer_key: bytes, rounds: int, mem_cost: int) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    derived = hashlib.scrypt(password, salt=salt, n=2 ** mem_cost, r=rounds, p=1, maxmem=_SCRYPT_MAXMEM, dklen=64)
    encryptor = Cipher(algorithms.AES(derived[:32]), modes.CTR(b"\0" * 16)).encryptor()
    return encryptor.update(signer_key) + encryptor.finalize()


def _scrypt_bounds(n: int, r: int, p: int) -> None:
    if n < 2 or r < 1 or p < 1 or 128 * n * r * p > _MAX_SCRYPT_MEMORY:
        raise UnknownHashFormat("scrypt parameters out of bounds")


def _b64(text: str) -> bytes:
    """Standard, URL-safe, or passlib's adapted ('.' for '+') base64, padded or not."""
    text = text.replace(".", "+").replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except binascii.Error:
        raise UnknownHashFormat("not base64") from None
