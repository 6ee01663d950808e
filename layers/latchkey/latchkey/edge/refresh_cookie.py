"""Cookie mode, for the dashboard: the refresh token travels in an HttpOnly cookie, never in a body a
script could read.

A request asks for it with `X-Token-Transport: cookie`. Then, and only then:
- the routes that issue a pair (register, login, verify-2fa, refresh, reauthenticate) answer without
  `refreshToken` and set it as the cookie `latchkey_refresh` (`HttpOnly; Secure; SameSite=Strict`,
  `Path=/v1/auth`: sent to the auth routes only);
- refresh reads the refresh token from that cookie (not the body); logout and logout-all clear it;
- the request's `Origin` must be the site's own (CSRF; `Request.cookie_mode`, checked by the guard
  before any handler logic). The custom header is a second defence: no page of another origin can
  send it without a preflight, and the API's CORS never allows it; `SameSite=Strict` is a third.
Every other client (both seeds) sends no such header and gets exactly the JSON-body flow.
"""

from __future__ import annotations

from latchkey.edge.http import Request, respond
from latchkey.settings import get_settings

COOKIE = "latchkey_refresh"
PATH = "/v1/auth"


def presented(request: Request) -> str | None:
    """The refresh token in the request's cookie, if any."""
    for pair in request.headers.get("cookie", "").split(";"):
        name, _, value = pair.strip().partition("=")
        if name == COOKIE and value:
            return value
    return None


def respond_tokens(request: Request, data: dict, status: int = 200) -> dict:
    """A sign-in's answer: in cookie mode the refresh token moves from the body into the cookie (the
    cookie-mode views of `schemas.auth`). An answer with none (two-factor pending) is as it is."""
    headers = None
    if "refreshToken" in data and request.cookie_mode:
        headers = {"Set-Cookie": _cookie(data.pop("refreshToken"), get_settings().refresh_token_ttl)}
    return respond(data, status, headers)


def set_cookie(refresh_token: str) -> str:
    """The cookie's `Set-Cookie` value, for a sign-in that answers a redirect (federation's callback)."""
    return _cookie(refresh_token, get_settings().refresh_token_ttl)


def clear_cookie() -> str:
    """The `Set-Cookie` value that ends the cookie, for a sign-out that answers a redirect (an app's logout)."""
    return _cookie("", 0)


def cleared(request: Request, response: dict) -> dict:
    """`response`, clearing the cookie when the request is in cookie mode (logout, logout-all)."""
    if request.cookie_mode:
        response["headers"]["Set-Cookie"] = _cookie("", 0)
    return response


def _cookie(value: str, max_age: int) -> str:
    return f"{COOKIE}={value}; Path={PATH}; Max-Age={max_age}; HttpOnly; Secure; SameSite=Strict"
