"""Redirect URL rules, pure: what an organization may register as its result redirect URL, how a result
token is added to it, and what an OAuth app may register as a redirect URI and which URI of a request
matches one (exactly; a loopback URI's port may vary, RFC 8252 7.3)."""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from latchkey.errors import ValidationFailed

MAX_LENGTH = 2048
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DNS_NAME = re.compile(rf"(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*")
_PRIVATE_SCHEME = re.compile(r"[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+")  # a reversed domain name, at least one dot
_LOOPBACK_IPS = {"127.0.0.1", "[::1]"}  # RFC 8252 8.3: loopback redirects name the IP literal; any port


def validate_redirect_url(url: str, field: str = "resultRedirectUrl", private_scheme: bool = False) -> str:
    """The URL if it is absolute https:// (http:// only for localhost/127.0.0.1) to a DNS name or an
    IP address, carries no fragment and no credentials, and is at most 2,048 characters; else a 400
    naming the rule. With `private_scheme`, a native app's private-use scheme (a reversed domain name,
    `com.example.app:/callback`, RFC 8252 7.1) is allowed too."""
    def refuse(reason: str) -> ValidationFailed:
        return ValidationFailed(details=[{"field": field, "message": reason}])

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
    if private_scheme and _PRIVATE_SCHEME.fullmatch(parts.scheme) and not parts.fragment and "#" not in url:
        return url
    if parts.scheme not in ("https", "http") or not host:
        raise refuse("must be an absolute https:// URL")
    if parts.scheme == "http" and host not in _LOOPBACK:
        raise refuse("must use https:// (http:// is allowed for localhost, 127.0.0.1 and [::1] only)")
    if not _is_host(host, bracketed="[" in parts.netloc) or parts.port == 0:
        raise refuse("must name a valid host")
    if parts.fragment or url.endswith("#"):
        raise refuse("must not have a fragment")
    if parts.username is not None or parts.password is not None:
        raise refuse("must not carry credentials")
    return url


def matches_redirect_uri(registered: tuple[str, ...] | list[str], requested: str) -> bool:
    """Whether `requested` is one of the `registered` URIs, character for character; an http loopback
    URI (127.0.0.1 or [::1]) matches whatever its port (RFC 8252 7.3: a native app listens on an
    ephemeral port), everything else of it still exactly."""
    if requested in registered:
        return True
    loose = _without_loopback_port(requested)
    return loose is not None and any(_without_loopback_port(uri) == loose for uri in registered)


def _without_loopback_port(uri: str) -> str | None:
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return None
    host = parts.netloc.rsplit(":", 1)[0] if parts.port is not None else parts.netloc
    if parts.scheme != "http" or host not in _LOOPBACK_IPS:
        return None
    return urlunsplit(parts._replace(netloc=host))


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
