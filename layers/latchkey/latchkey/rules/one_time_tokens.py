"""One-time tokens sent by email (verification, password reset, email change: the confirmation sent to
the new address and the approval sent to the current one; magic sign-in links) and the six-digit
sign-in codes: what they look like, how long each purpose lives, and how they are stored.

A token is `<purpose tag>.<user id>.<secret>`: 256 random bits (`secrets.token_urlsafe(32)`), the user
it is for (so one read finds what it is checked against) and its purpose (so a reset token at
verify-email is told apart from a forgery). Only its SHA-256 is stored, on the user item, one per
purpose: a newer token for the same purpose overwrites, and so voids, the older one. Spending it is a
conditional write on that hash: it works once, even under races. SHA-256 rather than a slow hash:
256 random bits need no stretching."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import NamedTuple

from latchkey.errors import InvalidOneTimeToken, OneTimeTokenExpired, OneTimeTokenUsed, WrongTokenPurpose
from latchkey.rules import ids

VERIFY_EMAIL = "verify-email"
RESET_PASSWORD = "reset-password"
CHANGE_EMAIL = "change-email"  # mailed to the new address: confirms it
APPROVE_EMAIL = "approve-email"  # mailed to the current address: approves (or cancels) the change
MAGIC_LINK = "magic-link"  # a passwordless sign-in link

LIFETIMES = {VERIFY_EMAIL: 24 * 3600, RESET_PASSWORD: 30 * 60, CHANGE_EMAIL: 24 * 3600, APPROVE_EMAIL: 24 * 3600,
             MAGIC_LINK: 15 * 60}
_TAGS = {VERIFY_EMAIL: "verify", RESET_PASSWORD: "reset", CHANGE_EMAIL: "email", APPROVE_EMAIL: "approve",
         MAGIC_LINK: "magic"}
_PURPOSES = {tag: purpose for purpose, tag in _TAGS.items()}
MAX_LENGTH = 128


class Issued(NamedTuple):
    token: str  # for the email only: never stored, never logged
    token_hash: str
    expires_at: int


class Stored(NamedTuple):
    """What the user item holds for one purpose."""

    token_hash: str = ""
    expires_at: int = 0
    spent_hash: str = ""  # the last one spent: a second use is told apart from a forgery


def issue(purpose: str, user_id: str, now: int) -> Issued:
    token = f"{_TAGS[purpose]}.{user_id}.{secrets.token_urlsafe(32)}"
    return Issued(token, hash_token(token), now + LIFETIMES[purpose])


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_of(token: str, purposes: tuple[str, ...]) -> tuple[str, str]:
    """(purpose, user id) of a well-formed token of one of `purposes`; refused before any read otherwise."""
    parts = token.split(".") if len(token) <= MAX_LENGTH else []
    if len(parts) != 3 or parts[0] not in _PURPOSES or not ids.is_id(parts[1], ids.USER) or len(parts[2]) != 43:
        raise InvalidOneTimeToken()
    purpose = _PURPOSES[parts[0]]
    if purpose not in purposes:
        raise WrongTokenPurpose()
    return purpose, parts[1]


def check(token: str, stored: Stored, now: int) -> str:
    """The token's hash if it is the stored, unexpired one for its purpose; the refusal otherwise."""
    presented = hash_token(token)
    if stored.token_hash and hmac.compare_digest(presented, stored.token_hash):
        if now >= stored.expires_at:
            raise OneTimeTokenExpired()
        return presented
    if stored.spent_hash and hmac.compare_digest(presented, stored.spent_hash):
        raise OneTimeTokenUsed()
    raise InvalidOneTimeToken()


def matches(token: str, token_hash: str) -> bool:
    """Whether `token` is the one stored as `token_hash` (in constant time)."""
    return hmac.compare_digest(hash_token(token), token_hash)


# --- sign-in codes --------------------------------------------------------------------------------
# Six digits, typed by a person: stored as an HMAC keyed by the user id (never in clear), good for
# CODE_LIFETIME seconds and CODE_ATTEMPTS tries (the use case counts them); a newer code overwrites,
# and so voids, the older one.

CODE_LIFETIME = 10 * 60
CODE_ATTEMPTS = 5
CODE_DIGITS = 6


def new_code() -> str:
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def hash_code(user_id: str, code: str) -> str:
    return hmac.new(user_id.encode(), code.encode(), hashlib.sha256).hexdigest()


def code_matches(user_id: str, code: str, stored_hash: str) -> bool:
    """Constant time: the same work whatever `code` is, and whether anything is stored or not."""
    return hmac.compare_digest(hash_code(user_id, code), stored_hash or "-" * 64) and bool(stored_hash)
