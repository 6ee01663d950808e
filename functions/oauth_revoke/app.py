"""POST /oauth2/revoke (RFC 7009): an app ends a user's sign-in with its access or refresh token: the
Latchkey session ends, and every token of it. 200 whatever the token was (an unknown one included);
another app's token is refused (invalid_grant)."""

from latchkey.edge import oauth_server
from latchkey.edge.http import Request, api_handler
from latchkey.usecases import oauth


@api_handler
def handler(request: Request) -> dict:
    return oauth_server.revoke(oauth.issuer(request.api_url), request)
