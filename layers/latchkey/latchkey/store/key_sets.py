"""Token key sets in Secrets Manager: each purpose's private set (where tokens of it are minted) and
public set (where they are only verified).

Key sets are read once and kept `Settings.key_set_cache_seconds` per container, so the warm path makes no Secrets
Manager call: the authorizer reads its public set once per container and then
once every five minutes. Rotation publishes a new key longer than that before it signs
(`Settings.key_publication_lead`), so an unknown `kid` is never a reason to read again: it is refused.
"""

from __future__ import annotations

from latchkey.rules import clock, signing_keys
from latchkey.rules.tokens import REFRESH, TokenContext
from latchkey.settings import get_settings
from latchkey.store import secrets

_cache: dict[str, tuple[int, list[signing_keys.Key]]] = {}


def signing_context(purpose: str) -> TokenContext:
    """For a function that mints tokens of `purpose`: the signing key and the private set's public
    halves (its template entry grants the private set; no other function can read it)."""
    settings = get_settings()
    now = clock.now()
    keys = _private_keys(purpose, now)
    key = signing_keys.signing_key(keys, now)
    return TokenContext(settings.issuer, settings.audience, purpose, signing_keys.verifying(keys, now),
                        key.kid, key.private)


def signing_key(purpose: str) -> signing_keys.Key:
    """For a function that signs with a key of `purpose` outside the token rules (ID tokens): the key
    that signs now."""
    now = clock.now()
    return signing_keys.signing_key(_private_keys(purpose, now), now)


def verifying_context(purpose: str) -> TokenContext:
    """For a function that only checks tokens of `purpose`: the published public keys, nothing that
    signs. Refresh tokens have no public set: only the refresh function checks them, and it mints
    them too."""
    if purpose == REFRESH:
        return signing_context(purpose)
    settings = get_settings()
    now = clock.now()
    return TokenContext(settings.issuer, settings.audience, purpose,
                        signing_keys.verifying(_public_keys(purpose, now), now))


def public_keys(purpose: str) -> list[signing_keys.Key]:
    """The published keys of `purpose` that may still verify a token (the JWKS)."""
    now = clock.now()
    return [k for k in _public_keys(purpose, now) if k.verifies_at(now)]


def forget() -> None:
    """Drops every cached key set (tests: containers that start now)."""
    _cache.clear()


def _read(arn: str) -> str:
    return secrets.read(arn)


def _cached(arn: str, now: int) -> list[signing_keys.Key] | None:
    hit = _cache.get(arn)
    return hit[1] if hit and now - hit[0] < get_settings().key_set_cache_seconds else None


def _private_keys(purpose: str, now: int) -> list[signing_keys.Key]:
    arn = get_settings().signing_key_arn(purpose)
    keys = _cached(arn, now)
    if keys is None:
        keys, is_seed = signing_keys.parse_private(purpose, _read(arn))
        if is_seed:
            _publish_generation_zero(purpose, keys)
        _cache[arn] = (now, keys)
    return keys


def _public_keys(purpose: str, now: int) -> list[signing_keys.Key]:
    arn = get_settings().public_key_arn(purpose)
    keys = _cached(arn, now)
    if keys is None:
        keys = signing_keys.parse_public(_read(arn), purpose)
        if keys:  # a set not yet published is read again: nothing verifies until it is
            _cache[arn] = (now, keys)
    return keys


def _publish_generation_zero(purpose: str, keys: list[signing_keys.Key]) -> None:
    """Until the first rotation, the key derived from the stack's generated seed signs; the first
    container to use it publishes its public half where verifiers read it (idempotent, and only while
    the public set is still CloudFormation's placeholder)."""
    arn = get_settings().public_key_arn(purpose)
    if arn and not signing_keys.parse_public(_read(arn), purpose):
        write(arn, signing_keys.dump_public(keys))


def read_key_set(arn: str) -> str:
    return _read(arn)


def write(arn: str, text: str) -> None:
    secrets.write(arn, text)
