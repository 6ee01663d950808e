"""Tokens that name their record, `<record id>.<secret>`: the id finds the record with one read, and only
the SHA-256 of the secret (256 random bits) is stored, compared in constant time. Candidates'
invitation tokens and organization invitations are of this form."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from latchkey.rules import ids


def mint(record_id: str) -> tuple[str, str]:
    """A new token for the record, and the hash to store of it."""
    secret = secrets.token_urlsafe(32)
    return f"{record_id}.{secret}", digest(secret)


def parse(token: str, prefix: str) -> tuple[str, str] | None:
    """(record id, secret) of a token whose id has `prefix`; None for anything else."""
    record_id, _, secret = token.partition(".")
    return (record_id, secret) if ids.is_id(record_id, prefix) and secret else None


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(stored_hash: str, secret: str) -> bool:
    return hmac.compare_digest(stored_hash, digest(secret))
