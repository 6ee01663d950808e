"""Per-source-IP rate limits on the unauthenticated endpoints (login, verify-2fa, register, refresh,
forgot-password, magic-link and email-code, and their verify routes) and on reauthenticate (a password
check like login's), each with its own counter, in fixed windows. API keys never pass through here."""

from __future__ import annotations

from latchkey.errors import RateLimited
from latchkey.rules import clock
from latchkey.settings import get_settings
from latchkey.store import rate_limits_table

_MESSAGES = {
    "login": "Too many login attempts",
    "verify-2fa": "Too many verification attempts",
    "register": "Too many sign-ups from this address",
    "refresh": "Too many refresh attempts",
    "forgot-password": "Too many password-reset requests from this address",
    "reauthenticate": "Too many reauthentication attempts",
    "sign-in-email": "Too many sign-in emails asked for from this address",
    "sign-in-code": "Too many sign-in code attempts",
}


def admit(action: str, source_ip: str) -> None:
    """Counts the request (whatever its outcome) and refuses it past the limit: 429 with Retry-After."""
    settings = get_settings()
    now = clock.now()
    hits, window_end = rate_limits_table.hit(action, source_ip, settings.rate_limit_window, now)
    if hits > settings.rate_limit(action):
        raise RateLimited(_MESSAGES[action], retry_after=window_end - now)
