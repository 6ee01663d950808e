"""Identifiers: a readable prefix and 96 random bits (`user_…`, `org_…`, `asm_…`)."""

from __future__ import annotations

import re
import secrets

USER = "user"
ORGANIZATION = "org"
ASSESSMENT = "asm"
SESSION = "ses"


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def is_id(value: str, prefix: str) -> bool:
    return re.fullmatch(rf"{prefix}_[0-9a-f]{{24}}", value) is not None
