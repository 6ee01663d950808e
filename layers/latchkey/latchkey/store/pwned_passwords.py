"""Have I Been Pwned's Pwned Passwords range API (k-anonymity): only the first 5 hex digits of the
password's SHA-1 leave the function, with padding on, so neither the password nor its hash is ever
sent. Used only with BreachedPasswordCheck on (off by default and in tests: no call leaves the
machine otherwise). A failure or a slow answer counts as "not found": the local list still applies,
and a third party's outage must not stop sign-ups or resets."""

from __future__ import annotations

import hashlib
import urllib.request

from latchkey.logs import logger

RANGE_URL = "https://api.pwnedpasswords.com/range/"
TIMEOUT_SECONDS = 1.5


def is_breached(password: str) -> bool:
    digest = hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()
    prefix, suffix = digest[:5], digest[5:]
    request = urllib.request.Request(RANGE_URL + prefix, headers={"Add-Padding": "true",  # noqa: S310 - fixed https
                                                                 "User-Agent": "latchkey"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 - fixed https URL
            lines = answer.read().decode().splitlines()
    except (OSError, ValueError) as error:
        logger.warning("breached-password check unavailable", extra={"error_type": type(error).__name__})
        return False
    return any(line.split(":")[0] == suffix and not line.endswith(":0") for line in lines)
