"""Token contexts for tests: a purpose's key set made here (unit tests), or read from the stack's
own secrets (tests that play an attacker who holds a stolen key)."""

from __future__ import annotations

from latchkey.rules import signing_keys, tokens

DEV = ("latchkey:dev", "latchkey-api:dev")


def context(purpose: str = tokens.ACCESS, key: signing_keys.Key | None = None, issuer: str = DEV[0],
            audience: str = DEV[1], verifying: dict | None = None) -> tokens.TokenContext:
    key = key or signing_keys.generate(purpose, 0)
    return tokens.TokenContext(issuer, audience, purpose, verifying if verifying is not None else {key.kid: key.public},
                               key.kid, key.private)


def from_private_set(purpose: str, text: str, now: int, issuer: str = DEV[0],
                     audience: str = DEV[1]) -> tokens.TokenContext:
    keys, _ = signing_keys.parse_private(purpose, text)
    return context(purpose, signing_keys.signing_key(keys, now), issuer, audience,
                   signing_keys.verifying(keys, now))
