"""GET /.well-known/jwks.json: the public keys that verify access tokens (RFC 7517), for anyone.

Public and cacheable for as long as a container keeps its own copy: a new key is published longer
than that before it signs, so a verifier that honours max-age never meets an unknown kid.
"""

from latchkey.edge.http import Request, api_handler, document
from latchkey.rules.signing_keys import CACHE_SECONDS
from latchkey.usecases import signing_keys


@api_handler
def handler(request: Request) -> dict:
    return document(signing_keys.jwks(), max_age=CACHE_SECONDS)
