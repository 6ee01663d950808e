"""GET /.well-known/openid-configuration and GET /.well-known/oauth-authorization-server: the OAuth 2.1
authorization server's metadata (RFC 8414; OpenID Connect Discovery 1.0), for anyone.

The document is held to both specifications by Authlib once per container and issuer, before it is
first served: a field that either requires and the provider forgot is a 500 here, never a client's
puzzle."""

from functools import cache

from authlib.oidc.discovery import OpenIDProviderMetadata

from latchkey.edge.http import Request, api_handler, document
from latchkey.settings import get_settings
from latchkey.usecases import oauth


@cache
def _metadata(issuer: str, registration: bool) -> dict:
    metadata = OpenIDProviderMetadata(oauth.server_metadata(issuer, registration))
    metadata.validate()  # RFC 8414's rules and OpenID Connect Discovery's (RS256 listed, subject types, ...)
    return dict(metadata)


@api_handler
def handler(request: Request) -> dict:
    settings = get_settings()
    return document(_metadata(oauth.issuer(request.api_url), bool(settings.oauth_registration_organization)),
                    max_age=settings.jwks_max_age)
