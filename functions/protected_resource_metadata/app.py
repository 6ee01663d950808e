"""GET /.well-known/oauth-protected-resource: the API's protected-resource metadata (RFC 9728), for
anyone: the authorization server that issues its tokens and the scopes it understands."""

from latchkey.edge.http import Request, api_handler, document
from latchkey.settings import get_settings
from latchkey.usecases import oauth


@api_handler
def handler(request: Request) -> dict:
    return document(oauth.resource_metadata(oauth.issuer(request.api_url)), max_age=get_settings().jwks_max_age)
