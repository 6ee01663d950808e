"""What every wire shape shares: strict, closed bodies; closed views; the field types; and validation
problems said in words.

pydantic, for one way to validate and to describe. Bodies are validated at run time: they come from
callers. Views describe what the code answers: the OpenAPI document is generated from them, and every
answer a test receives is checked against it (extra fields refused), so a field a record grows cannot
leak unmodelled; functions do not validate them again at run time. pydantic's import costs about 0.3x
the `import boto3` floor at cold start (docs/contract.md), so only functions that take a body load it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

_NO_CONTROL = r"[^\x00-\x1f\x7f]"
_VISIBLE = rf"^{_NO_CONTROL}*[^\s\x00-\x1f\x7f]{_NO_CONTROL}*$"
_EMAIL_PART = r"[^@\s\x00-\x1f\x7f]+"
_EMAIL = rf"^\s*{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART}\s*$"
_TOTP = r"^[0-9]{6}$"
_TWO_FACTOR = r"^(?:[0-9]{6}|[A-Za-z2-7]{4}(?:-?[A-Za-z2-7]{4}){3})$"

# A pattern's meaning in words: problems never show the pattern itself (nor the value sent).
_PATTERN_MEANS = {
    _EMAIL: "must be an email address, like name@example.com",
    _VISIBLE: "must have a visible character and no control characters",
    _TOTP: "must be the 6-digit code from the authenticator app",
    _TWO_FACTOR: "must be a 6-digit code or a recovery code (xxxx-xxxx-xxxx-xxxx)",
}

# Surrounding blanks are tolerated (and stripped by the domain); none inside, one @, a dot after it.
Email = Annotated[str, Field(min_length=1, max_length=256, pattern=_EMAIL)]
# Something visible, no control characters.
Name = Annotated[str, Field(min_length=1, max_length=100, pattern=_VISIBLE)]
# Checked as sent (NIST 800-63B): no trimming, no composition rules, length in characters.
Password = Annotated[str, Field(min_length=8, max_length=128)]
# What login accepts: any stored password, bounded so hashing stays cheap.
AnyPassword = Annotated[str, Field(min_length=1, max_length=1024)]
Token = Annotated[str, Field(min_length=1, max_length=4096)]
Title = Annotated[str, Field(min_length=1, max_length=200, pattern=_VISIBLE)]
Text = Annotated[str, Field(max_length=2000)]
Timestamp = AwareDatetime  # RFC 3339 with an offset
# A 6-digit TOTP code, exactly: no blanks, no other lengths.
TotpCode = Annotated[str, Field(pattern=_TOTP)]
# ... or a recovery code (16 base32 characters, dashes optional, any case).
TwoFactorCode = Annotated[str, Field(pattern=_TWO_FACTOR)]


def _iso(value: str) -> str:
    datetime.fromisoformat(value)
    return value


# What views carry: RFC 3339 strings, as the records render them.
Instant = Annotated[str, AfterValidator(_iso), Field(json_schema_extra={"format": "date-time"})]


# Built on first use, not at import: a function validates two or three of its area's models, and
# building the others would cost it about 5 ms of CPU each at every cold start.
_CONFIG = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


class Body(BaseModel):
    """A request body: strict ("1" is not 1), unknown fields refused; subclasses declare its fields."""

    model_config = _CONFIG


class View(BaseModel):
    """A response's `data` (or a part of it): exactly the declared fields."""

    model_config = _CONFIG


class OneOf:
    """A `data` that is one of several disjoint views (unknown fields refused): `oneOf` in the document.
    Not a pydantic RootModel: importing that builds models at once."""

    def __init__(self, name: str, *views: type[View], description: str):
        self.__name__, self.views, self.description = name, views, description


def problems(error: ValidationError) -> list[dict[str, str]]:
    """Every problem of a body as {"field", "message"}: in words, never the value or a pattern."""
    found = []
    for item in error.errors(include_url=False, include_input=False, include_context=True):
        field = ".".join(str(part) for part in item["loc"]) or "body"
        found.append({"field": field, "message": _in_words(item["type"], item.get("ctx") or {})})
    return found


def _in_words(kind: str, ctx: dict) -> str:
    if kind == "string_too_short":
        least = ctx.get("min_length", 1)
        return "must not be empty" if least == 1 else f"must be at least {least} characters"
    if kind == "string_pattern_mismatch":
        return _PATTERN_MEANS.get(str(ctx.get("pattern")), "is not in the expected format")
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "too_long":
        return f"must have at most {ctx.get('max_length')} items"
    if kind.startswith(("datetime", "timezone")):
        return "must be a date and time with a time zone, like 2030-01-31T12:00:00Z"
    return _MESSAGES.get(kind, "is invalid")


_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a field of this body",
    "string_type": "must be a string",
    "string_unicode": "must be valid text",
    "list_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "int_type": "must be an integer",
    "bool_type": "must be true or false",
    "none_required": "must be null",
    "email_undeliverable": "must be an email address mail can be sent to",
}


class PageQuery(BaseModel):
    """`?limit=&cursor=` of a list endpoint, as `Request.page` reads it."""

    model_config = ConfigDict(defer_build=True)

    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = Field(None, description="data.nextCursor of the previous page")
