"""POST /oauth2/token: an app redeems an authorization code (once, within 60 s, with the redirect URI
and the PKCE verifier it was bound to) for a Latchkey session's access token (`client_id` and
`scope` in it) and, with `openid`, an ID token signed RS256. Errors in OAuth's form."""

from latchkey.edge import oauth_server
from latchkey.edge.http import Request, api_handler
from latchkey.usecases import oauth


@api_handler
def handler(request: Request) -> dict:
    return oauth_server.token(oauth.issuer(request.api_url), request)
