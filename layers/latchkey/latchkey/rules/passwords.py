"""Password hashing: argon2id at OWASP's minimum cost (m=19 MiB, t=2, p=1). The length policy is
`inputs.Password`."""

from __future__ import annotations

import functools


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
    """True if `password` matches; with no hash, burns the same time and says False."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash or _DECOY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
