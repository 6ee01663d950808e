"""Secrets Manager: reading and writing a secret's value (one client per container), the key that
seals users' TOTP secrets, and the way into the token key sets (`key_sets`).

boto3's own client rather than Powertools Parameters: the callers keep what they read (the TOTP key
for the container's life, key sets for `key_set_cache_seconds`), so Parameters' cache would add
nothing but its import, about 30 ms of CPU on every cold start (0.1x the boto3 baseline; measured with
`make bench`). The key sets need cryptography, which only the functions that sign or verify tokens
carry (a layer of their own): `key_sets` is imported on first use, so a function that merely imports
a use case able to mint tokens (logout, listings) starts without it.
"""

from __future__ import annotations

from functools import cache

import boto3

from latchkey.rules.tokens import TokenContext
from latchkey.settings import get_settings
from latchkey.store.faults import client_config


def signing_context(purpose: str) -> TokenContext:
    """For a function that mints tokens of `purpose` (see `key_sets.signing_context`)."""
    from latchkey.store import key_sets

    return key_sets.signing_context(purpose)


def verifying_context(purpose: str) -> TokenContext:
    """For a function that only checks tokens of `purpose` (see `key_sets.verifying_context`)."""
    from latchkey.store import key_sets

    return key_sets.verifying_context(purpose)


def read(arn: str) -> str:
    return _client().get_secret_value(SecretId=arn)["SecretString"]


def write(arn: str, text: str) -> None:
    _client().put_secret_value(SecretId=arn, SecretString=text)


@cache
def totp_key_material() -> bytes:
    return read(get_settings().totp_key_secret_arn).encode()


@cache
def _client():
    # Made on first use, as any client is worth making only where a secret is read.
    return boto3.client("secretsmanager", config=client_config())
