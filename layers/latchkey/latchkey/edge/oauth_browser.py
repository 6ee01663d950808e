"""Federation's browser side: the URL the provider sends the browser back to, the dashboard's own
origin (the only place a sign-in lands), and the cookie that binds a started sign-in to its browser
(`latchkey_oauth`: HttpOnly, Secure, SameSite=Lax so the provider's top-level redirect back carries
it, Path=/v1/auth/oauth, 10 minutes; cleared by the callback)."""

from __future__ import annotations

from urllib.parse import urlsplit

from latchkey.edge.http import Request
from latchkey.rules import federation


def origin(request: Request) -> str:
    """The site's origin, scheme://host[:port], as the browser reached it (the dashboard's, which the API
    shares behind the distribution); never a path."""
    parts = urlsplit(request.api_url)
    return f"{parts.scheme}://{parts.netloc}"


def callback_uri(request: Request, provider: str) -> str:
    """The redirect URI registered at the provider: the callback route at the API's own URL."""
    return f"{request.api_url}/v1/auth/oauth/{provider}/callback"


def dashboard(request: Request, path: str) -> str:
    """`path` (already a `rules.federation.return_path`) on the dashboard's origin."""
    return origin(request) + path


def state_cookie(browser: str, max_age: int = federation.STATE_LIFETIME) -> str:
    return (f"{federation.STATE_COOKIE}={browser}; Path={federation.STATE_COOKIE_PATH}; Max-Age={max_age}; "
            "HttpOnly; Secure; SameSite=Lax")


def browser(request: Request) -> str:
    """The state cookie's value, if the browser sent one."""
    for pair in request.headers.get("cookie", "").split(";"):
        name, _, value = pair.strip().partition("=")
        if name == federation.STATE_COOKIE and value:
            return value
    return ""
