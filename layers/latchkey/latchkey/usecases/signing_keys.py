"""Signing keys as a service: the public JWKS of access tokens, and key rotation with overlap.

Rotation (`rotate`, run by the rotation function daily and by hand) is one idempotent step per token
purpose: retired keys leave; when the signing key is `SigningKeyRotationDays` old (or `force`), a new
key is published now and signs `Settings.key_publication_lead` seconds later (twice the longest a
container and then a client may cache the set: 1,200 s by default; for your own API's keys two hours
more, as long as API Gateway's JWT authorizers keep them: `Settings.publication_lead`), and the old one keeps
verifying until the longest-lived token it can have signed has expired. The public set is written
before the private one, so no container can sign with a key verifiers have not been offered.
"""

from __future__ import annotations

import time

from latchkey.rules import clock, signing_keys, tokens
from latchkey.settings import get_settings
from latchkey.store import key_sets

SETTLE_SECONDS = 2  # after converting a never-rotated set: outlasts a signer's own first publication


def jwks() -> dict:
    """Every public key that may verify a live access token (ES256), ID token (RS256) or access token
    for your own API (RS256), and the next one of each (RFC 7517)."""
    purposes = [p for p in (tokens.ACCESS, tokens.ID_TOKEN, tokens.GATEWAY) if get_settings().public_key_arn(p)]
    return {"keys": [signing_keys.jwk(k) for p in purposes for k in key_sets.public_keys(p)]}


def rotate(force: bool = False) -> dict:
    """One rotation step for every purpose; what each key set holds afterwards (kids and times, never
    key material)."""
    settings = get_settings()
    now = clock.now()
    report, converted = {}, []
    for purpose, _ in settings.signing_key_arns:  # every declared purpose: Latchkey's and the modules'
        private_arn, public_arn = settings.signing_key_arn(purpose), settings.public_key_arn(purpose)
        stored = key_sets.read_key_set(private_arn)
        keys, is_seed = signing_keys.parse_private(purpose, stored)
        keys = signing_keys.advance(purpose, keys, now, lifetime=settings.token_lifetime(purpose),
                                    rotate_after=settings.key_rotation_days * 86400,
                                    lead=settings.publication_lead(purpose), force=force)
        if public_arn:
            _publish(public_arn, keys)
        if signing_keys.dump_private(keys) != stored:
            key_sets.write(private_arn, signing_keys.dump_private(keys))
        if is_seed and public_arn:
            converted.append((public_arn, keys))
        report[purpose] = {"signingKid": signing_keys.signing_key(keys, now).kid,
                           "keys": [{"kid": k.kid, "activeFrom": k.active_from, "retireAt": k.retire_at or None}
                                    for k in keys]}
    if converted:
        # A signer that read the seed just before this run may publish generation 0 alone just after
        # it: look again once that window has passed, and restore the full set.
        time.sleep(SETTLE_SECONDS)
        for public_arn, keys in converted:
            _publish(public_arn, keys)
    return report


def _publish(public_arn: str, keys: list[signing_keys.Key]) -> None:
    text = signing_keys.dump_public(keys)
    if key_sets.read_key_set(public_arn) != text:
        key_sets.write(public_arn, text)
