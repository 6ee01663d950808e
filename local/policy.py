"""IAM policy evaluation, as far as the local runtime needs it: explicit Deny wins, otherwise an Allow
must match; actions match case-insensitively, resources case-sensitively, both with `*` and `?`."""

from __future__ import annotations

import re
from typing import Any


def allows(statements: list[dict], action: str, resource: str) -> bool:
    granted = False
    for statement in statements:
        if not any(_glob(a.lower(), action.lower()) for a in _as_list(statement.get("Action"))):
            continue
        if not any(_glob(r, resource) for r in _as_list(statement.get("Resource"))):
            continue
        if statement.get("Effect") == "Deny":
            return False
        granted = granted or statement.get("Effect") == "Allow"
    return granted


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _glob(pattern: str, value: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value) is not None
