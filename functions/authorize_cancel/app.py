"""POST /oauth2/authorize/cancel: the hosted sign-in page gives an authorization request up, with no
session in this browser to decide it: the app's redirect URI with `login_required` for a `prompt=none`
request (OpenID Connect's silent sign-in, answered without a page), else `access_denied`. Anyone holding
the request's id (unguessable, in the page's address) may; it ends the request and grants nothing."""

from latchkey.edge import oauth_server
from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import oauth

AuthorizationCancelBody = compiled("AuthorizationCancelBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(AuthorizationCancelBody)
    return respond(oauth_server.cancel(oauth.issuer(request.api_url), body.request))
