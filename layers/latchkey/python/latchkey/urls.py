"""Redirect URL rules, pure: what an organization may register as its result redirect URL, and how a
result token is added to it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from latchkey.errors import ValidationFailed

MAX_LENGTH = 2048
_LOOPBACK = {"localhost", "127.0.0.1"}


def validate_redirect_url(url: str) -> str:
    """The URL if it is absolute https:// (http:// only for localhost/127.0.0.1), carries no fragment
    and no credentials, and is at most 2,048 characters; else a 400 naming the rule."""
    def refuse(reason: str) -> ValidationFailed:
        return ValidationFailed(details=[{"field": "resultRedirectUrl", "message": reason}])

    if len(url) > MAX_LENGTH:
        raise refuse(f"must be at most {MAX_LENGTH} characters")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise refuse("must not contain blanks or control characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise refuse("is not a valid URL") from None
    if parts.scheme not in ("https", "http") or not host:
        raise refuse("must be an absolute https:// URL")
    if parts.scheme == "http" and host not in _LOOPBACK:
        raise refuse("must use https:// (http:// is allowed for localhost and 127.0.0.1 only)")
    if parts.fragment or url.endswith("#"):
        raise refuse("must not have a fragment")
    if parts.username is not None or parts.password is not None:
        raise refuse("must not carry credentials")
    return url


def with_query_param(url: str, name: str, value: str) -> str:
    """`url` with `name=value` added to its query: existing parameters kept (a previous `name` is
    replaced), everything percent-encoded."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    query.append((name, value))
    return urlunsplit(parts._replace(query=urlencode(query)))
