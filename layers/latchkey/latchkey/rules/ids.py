"""Identifiers: a readable prefix, then 24 hex digits: 48 bits of milliseconds and 48 random bits
(`user_…`, `org_…`, `ses_…`). Time first, so ids sort by creation (UUIDv7's idea): a table keyed by
them lists oldest first. Ids are names, not secrets: every read is scoped to its owner."""

from __future__ import annotations

import re
import secrets
import time

USER = "user"
ORGANIZATION = "org"
SESSION = "ses"
API_KEY = "key"
INVITATION = "inv"
IMPORT = "imp"
EXPORT = "exp"
APP = "app"  # an OAuth app: its id is its client_id
IDENTITY = "idn"  # a linked identity (federation)


def new_id(prefix: str) -> str:
    return f"{prefix}_{time.time_ns() // 1_000_000:012x}{secrets.token_hex(6)}"


def is_id(value: str, prefix: str) -> bool:
    return re.fullmatch(rf"{prefix}_[0-9a-f]{{24}}", value) is not None
