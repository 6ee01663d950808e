"""POST /oauth2/authorize/decision: the hosted sign-in page, once the user is signed in, asks what comes
next for an authorization request (a fresher sign-in, the consent page) or, decided, where to send the
browser: the app's redirect URI with a code (single-use, 60 s) or an error."""

from latchkey.edge import oauth_server
from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import oauth

AuthorizationDecisionBody = compiled("AuthorizationDecisionBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(AuthorizationDecisionBody)
    return respond(oauth_server.decide(oauth.issuer(request.api_url), request.principal,
                                       request.bearer_claims().get("amr", []), body.request, body.decision))
