"""Password hashing: argon2id at OWASP's minimum cost (m=19 MiB, t=2, p=1), and the list of common
and breached passwords a new password must not be in. The length policy is the schemas' `Password`;
there are no composition rules (NIST SP 800-63B-4)."""

from __future__ import annotations

import functools
from pathlib import Path


@functools.cache
def _hasher():
    # Imported on first use: functions that reach this module but never hash (me, the two-factor
    # set-up) do not pay argon2's import (about 60 ms of CPU) at cold start.
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

# Verified against when the email is unknown, so an unknown account costs the same hashing time as
# a wrong password (no enumeration by timing). The hash of random bytes nobody kept, with the
# hasher's parameters; a constant so that no cold start pays for hashing it.
_DECOY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$Iz37Ztu9FMQVq4vHR8x9uw$F+x90ICBc75Ffru0qhPJnMNYFX7hk9tPRDofQuwHis4"


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if `password` matches; with no hash (None, or "" for an account that never set a password:
    passwordless or federated), burns the same time and says False. An imported hash (bcrypt, scrypt,
    Firebase scrypt, PBKDF2: rules/imported_hashes.py) is verified by its own algorithm; argon2-cffi
    verifies any argon2 (imported argon2i too, with its own parameters)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    if password_hash and not password_hash.startswith("$argon2"):
        from latchkey.rules import imported_hashes

        try:
            return imported_hashes.verify(password_hash, password)
        except imported_hashes.UnknownHashFormat:
            return False

    try:
        return _hasher().verify(password_hash or _DECOY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether a hash that just verified should be replaced by Latchkey's own argon2id: an imported one
    (another algorithm, or argon2 with other parameters)."""
    return bool(password_hash) and (not password_hash.startswith("$argon2id$")
                                    or _hasher().check_needs_rehash(password_hash))


# --- passwords known to be bad (NIST SP 800-63B-4 5.1.1.2) -----------------------------------------

_COMMON = Path(__file__).with_name("data") / "common-passwords.txt.gz"


@functools.cache
def _common_list() -> bytes:
    """The sorted list (data/NOTICE says where it comes from), decompressed once per container."""
    import gzip

    return b"\n" + gzip.decompress(_COMMON.read_bytes()) + b"\n"


def is_common(password: str) -> bool:
    """True if `password`, case-insensitively, is in the list of common and breached passwords: a binary
    search over the sorted bytes (about 17 steps for 40,101 entries), no set built at cold start."""
    wanted = password.lower().encode()
    data = _common_list()
    low, high = 0, len(data) - 1  # positions of newlines; the entries lie between them
    while low < high:
        middle = (low + high) // 2
        start = data.rfind(b"\n", low, middle + 1)  # the entry around `middle` starts after this newline
        end = data.find(b"\n", start + 1)
        entry = data[start + 1:end]
        if entry == wanted:
            return True
        if entry < wanted:
            low = end
        elif start == low:
            return False
        else:
            high = start
    return False
