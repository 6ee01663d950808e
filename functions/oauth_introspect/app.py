"""POST /oauth2/introspect (RFC 7662): a confidential app (a resource server) asks whether an access
token of its organization is live, judged as the authorizer judges it (signature, lifetime, its
session or its app); anything else is `{"active": false}`."""

from latchkey.edge import oauth_server
from latchkey.edge.http import Request, api_handler
from latchkey.usecases import oauth


@api_handler
def handler(request: Request) -> dict:
    return oauth_server.introspect(oauth.issuer(request.api_url), request)
