"""Request bodies as the functions validate them: each body model of `edge.schemas`, compiled ahead
of time to the pydantic-core schema pydantic itself would run (`bodies.json`, written from the
models by `python -m contract`; a test holds the file equal to them, and another holds each
compiled body to its model's answers on the same inputs).

Why not the models themselves: importing pydantic's model machinery costs a function about 0.25x the
`import boto3` floor at every cold start; its validator, `pydantic_core`, about 0.1x. The rules,
the engine and its error types are the same, and so are the problems in words below.

    LoginBody = compiled("LoginBody")        # at import: the function's init builds its validator
    body = request.json(LoginBody)           # body.email, body.password
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from pydantic_core import PydanticCustomError, SchemaValidator, ValidationError

SCHEMAS = Path(__file__).with_name("bodies.json")

# The patterns the body fields use (edge.schemas.base declares the fields with them), and what each
# means in words: problems never show the pattern itself, nor the value sent.
_NO_CONTROL = r"[^\x00-\x1f\x7f]"
VISIBLE = rf"^{_NO_CONTROL}*[^\s\x00-\x1f\x7f]{_NO_CONTROL}*$"
_EMAIL_PART = r"[^@\s\x00-\x1f\x7f]+"
EMAIL = rf"^\s*{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART}\s*$"
TOTP = r"^[0-9]{6}$"
TWO_FACTOR = r"^(?:[0-9]{6}|[A-Za-z2-7]{4}(?:-?[A-Za-z2-7]{4}){3})$"
_PATTERN_MEANS = {
    EMAIL: "must be an email address, like name@example.com",
    VISIBLE: "must have a visible character and no control characters",
    TOTP: "must be the 6-digit code from the authenticator app",
    TWO_FACTOR: "must be a 6-digit code or a recovery code (xxxx-xxxx-xxxx-xxxx)",
}


def mailable(address: str) -> str:
    """An address an email can be sent to: as the `To` header of a message, written out and read back,
    it is exactly this one address (the pattern alone admits strings such as `a:b@c.d`, or ones whose
    encoded header no mail reader parses back)."""
    import email.policy  # only the invitation function validates this
    from email.message import EmailMessage
    from email.parser import BytesParser

    try:
        message = EmailMessage()
        message["To"] = address.strip()
        header = BytesParser(policy=email.policy.default).parsebytes(message.as_bytes(), headersonly=True)["To"]
        parsed = [a.addr_spec for a in header.addresses]
    except Exception:  # noqa: BLE001 - any failure to write or read it back: not an address
        parsed = []
    if parsed != [address.strip()]:
        raise PydanticCustomError("email_undeliverable", "not an address mail can be sent to")
    return address


# The Python validators a compiled schema may name (as {"$function": name}).
FUNCTIONS = {"mailable": mailable}


class Fields(dict):
    """A validated body: its fields, read as attributes (`body.email`), as on the model."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def canonical(self) -> str:
        """The body as JSON with sorted keys: what an Idempotency-Key's replay is compared with."""
        return json.dumps(self, sort_keys=True, separators=(",", ":"), default=str)


class CompiledBody:
    """One body's validator; `parse` raises pydantic_core's ValidationError, as the model would."""

    def __init__(self, name: str, schema: dict):
        self.__name__ = name
        self._validator = SchemaValidator(_resolved(schema))

    def parse(self, raw: bytes) -> Fields:
        return Fields(self._validator.validate_json(raw))


def compiled(name: str) -> CompiledBody:
    """The body `name` (a model's class name in edge.schemas), from bodies.json."""
    return CompiledBody(name, _schemas()[name])


@functools.cache
def _schemas() -> dict[str, dict]:
    return json.loads(SCHEMAS.read_text())


def _resolved(node: Any) -> Any:
    if isinstance(node, dict):
        if set(node) == {"$function"}:
            return FUNCTIONS[node["$function"]]
        return {key: _resolved(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolved(item) for item in node]
    return node


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
