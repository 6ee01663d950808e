"""GET /.well-known/jwks.json: the public keys that verify access tokens (RFC 7517), for anyone.

Public and cacheable for `Settings.jwks_max_age`: a new key is published twice a container's copy plus
that long before it signs, so a verifier that honours max-age never meets an unknown kid.
"""

from latchkey.edge.http import Request, api_handler, document
from latchkey.settings import get_settings
from latchkey.usecases import signing_keys


@api_handler
def handler(request: Request) -> dict:
    return document(signing_keys.jwks(), max_age=get_settings().jwks_max_age)
