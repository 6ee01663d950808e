"""Secrets Manager: reading and writing a secret's value (one client per container), and the key that
seals users' TOTP secrets. The token key sets are `key_sets`' (use cases reach them through `token_keys`).

boto3's own client rather than Powertools Parameters: the callers keep what they read (the TOTP key
for the container's life, key sets for `key_set_cache_seconds`), so Parameters' cache would add
nothing but its import, about 30 ms of CPU on every cold start (0.1x the boto3 baseline; measured with
`make bench`).
"""

from __future__ import annotations

from functools import cache

import boto3

from latchkey.settings import get_settings
from latchkey.store.faults import client_config


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
