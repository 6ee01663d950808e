"""Key material from Secrets Manager, read once per container through Powertools Parameters: the
stage's token signing key, and the key that seals users' TOTP secrets."""

from __future__ import annotations

from functools import cache

from aws_lambda_powertools.utilities import parameters

from latchkey.rules.tokens import TokenContext
from latchkey.settings import get_settings


@cache
def token_context() -> TokenContext:
    """Fetched on the first request that needs it, then kept for the container's life: rotating the
    secret takes effect as containers recycle (or on the next deploy)."""
    settings = get_settings()
    secret = parameters.get_secret(settings.signing_key_secret_arn)
    return TokenContext(key=str(secret).encode(), issuer=settings.issuer, audience=settings.audience)


@cache
def totp_key_material() -> bytes:
    return str(parameters.get_secret(get_settings().totp_key_secret_arn)).encode()
