"""Redirect URL rules, pure: what an organization may register as its result redirect URL, and how a
result token is added to it."""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from latchkey.errors import ValidationFailed

MAX_LENGTH = 2048
_LOOPBACK = {"localhost", "127.0.0.1"}
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DNS_NAME = re.compile(rf"(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*")


def validate_redirect_url(url: str) -> str:
    """The URL if it is absolute https:// (http:// only for localhost/127.0.0.1) to a DNS name or an
    IP address, carries no fragment and no credentials, and is at most 2,048 characters; else a 400
    naming the rule."""
    def refuse(reason: str) -> ValidationFailed:
        return ValidationFailed(details=[{"field": "resultRedirectUrl", "message": reason}])

    if len(url) > MAX_LENGTH:
        raise refuse(f"must be at most {MAX_LENGTH} characters")
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in url) or "\\" in url:
        raise refuse("must not contain blanks, control or format characters, or backslashes")
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
    if not _is_host(host, bracketed="[" in parts.netloc) or parts.port == 0:
        raise refuse("must name a valid host")
    if parts.fragment or url.endswith("#"):
        raise refuse("must not have a fragment")
    if parts.username is not None or parts.password is not None:
        raise refuse("must not carry credentials")
    return url


def with_query_param(url: str, name: str, value: str) -> str:
    """`url` with `name=value` added to its query, the existing parameters kept byte for byte (a
    previous `name` is dropped); the value is percent-encoded."""
    parts = urlsplit(url)
    kept = [pair for pair in parts.query.split("&") if pair and unquote(pair.split("=", 1)[0]) != name]
    return urlunsplit(parts._replace(query="&".join([*kept, f"{quote(name)}={quote(value, safe='')}"])))


def _is_host(host: str, bracketed: bool) -> bool:
    """A DNS name (IDNA-encodable) or an IP literal; brackets hold IPv6 addresses only."""
    try:
        return ipaddress.ip_address(host).version == 6 or not bracketed
    except ValueError:
        if bracketed:
            return False
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return _DNS_NAME.fullmatch(ascii_host) is not None and not ascii_host.replace(".", "").isdigit()
