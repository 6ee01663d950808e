"""Federation's pure rules: which upstream identity providers there are and how each is reached, where
a sign-in may send the browser back to (`returnTo`), and the names of what a sign-in carries.

Google and any OpenID provider are OpenID Connect (an ID token, checked against the provider's JWKS);
GitHub is OAuth 2.0 with its user and emails API (it issues no ID token)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import NamedTuple

GOOGLE, GITHUB, OIDC = "google", "github", "oidc"
PROVIDER_NAMES = (GOOGLE, GITHUB, OIDC)
STATE_LIFETIME = 600  # a started sign-in comes back within 10 minutes, or starts again
STATE_COOKIE = "latchkey_oauth"  # binds the state to the browser that started it
STATE_COOKIE_PATH = "/v1/auth/oauth"
AMR = ("fed",)  # RFC 8176: federated authentication
GOOGLE_ISSUER = "https://accounts.google.com"
# Google's ID tokens may name their issuer without the scheme (its OpenID documentation says so).
ISSUER_ALIASES = {GOOGLE: ("accounts.google.com",)}
GITHUB_AUTHORIZE = "https://github.com/login/oauth/authorize"
GITHUB_TOKEN = "https://github.com/login/oauth/access_token"
GITHUB_API = "https://api.github.com"
_PATH = re.compile(r"/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*")
MAX_RETURN_PATH = 512


class Provider(NamedTuple):
    name: str  # in the routes: google, github, oidc
    label: str  # on its button
    client_id: str
    issuer: str = ""  # OpenID Connect: discovery and the ID token's `iss`; "" for GitHub
    scope: str = "openid email profile"

    @property
    def openid(self) -> bool:
        return bool(self.issuer)

    def public(self) -> dict:
        return {"id": self.name, "name": self.label}


def providers(google_client_id: str, github_client_id: str, oidc_issuer: str, oidc_client_id: str,
              oidc_name: str) -> tuple[Provider, ...]:
    """The providers that are on (a client id, and for OpenID an issuer), in button order."""
    found = []
    if google_client_id:
        found.append(Provider(GOOGLE, "Google", google_client_id, GOOGLE_ISSUER))
    if github_client_id:
        found.append(Provider(GITHUB, "GitHub", github_client_id, scope="read:user user:email"))
    if oidc_client_id and oidc_issuer:
        found.append(Provider(OIDC, oidc_name or "OpenID", oidc_client_id, oidc_issuer))
    return tuple(found)


def return_path(value: str | None) -> str:
    """Where the dashboard sends the person after a sign-in: a path on its own origin, or "/". Never
    another origin: no scheme, no `//host` or `/\\host` (browsers read both as another host), no
    blanks, control or format characters."""
    if not value or len(value) > MAX_RETURN_PATH or not _PATH.fullmatch(value):
        return "/"
    if value.startswith(("//", "/\\")) or any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        return "/"
    return value


def fingerprint(secret: str) -> str:
    """What is stored of a state or of the browser's cookie: its SHA-256, never the value."""
    return hashlib.sha256(secret.encode()).hexdigest()
