"""The OAuth 2.1 / OpenID Connect provider: Latchkey signs an organization's users in to the apps it
registered (`apps`), and gives confidential apps machine tokens of their own.

The issuer is `Settings.oauth_issuer_url` (OAuthIssuerUrl), or, unset, the URL a request reached the
API at; every document and token names it, so a relying party that discovered the provider at one URL
accepts only what that URL issues.
"""

from __future__ import annotations

from latchkey.rules import oauth_metadata
from latchkey.settings import get_settings


def issuer(request_url: str) -> str:
    """The issuer: the configured URL, or the one the request came in at."""
    return get_settings().oauth_issuer_url or request_url


def server_metadata(issuer_url: str) -> dict:
    """The authorization server's metadata (RFC 8414; OpenID Connect Discovery 1.0)."""
    return oauth_metadata.authorization_server(issuer_url)


def resource_metadata(issuer_url: str) -> dict:
    """The API's protected-resource metadata (RFC 9728)."""
    return oauth_metadata.protected_resource(issuer_url)
