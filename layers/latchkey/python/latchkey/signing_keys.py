"""The stage's token signing key, read from Secrets Manager once per container (Powertools Parameters)."""

from __future__ import annotations

from functools import cache

from aws_lambda_powertools.utilities import parameters

from latchkey.settings import get_settings
from latchkey.tokens import TokenContext


@cache
def token_context() -> TokenContext:
    """Fetched on the first request that needs it, then kept for the container's life: rotating the
    secret takes effect as containers recycle (or on the next deploy)."""
    settings = get_settings()
    secret = parameters.get_secret(settings.signing_key_secret_arn, max_age=24 * 3600)
    return TokenContext(key=str(secret).encode(), issuer=settings.issuer, audience=settings.audience)
