"""Key material from Secrets Manager: the token key sets (`key_sets`) and the key that seals users'
TOTP secrets.

The key sets need cryptography, which only the functions that sign or verify tokens carry (a layer of
their own): `key_sets` is imported on first use, never at import, so a function that only imports a
use case that can mint tokens (logout, listings) starts without it.
"""

from __future__ import annotations

from functools import cache

from aws_lambda_powertools.utilities import parameters

from latchkey.rules.tokens import TokenContext
from latchkey.settings import get_settings


def signing_context(purpose: str) -> TokenContext:
    """For a function that mints tokens of `purpose` (see `key_sets.signing_context`)."""
    from latchkey.store import key_sets

    return key_sets.signing_context(purpose)


def verifying_context(purpose: str) -> TokenContext:
    """For a function that only checks tokens of `purpose` (see `key_sets.verifying_context`)."""
    from latchkey.store import key_sets

    return key_sets.verifying_context(purpose)


@cache
def totp_key_material() -> bytes:
    return str(parameters.get_secret(get_settings().totp_key_secret_arn)).encode()
