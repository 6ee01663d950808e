"""GET /oauth2/authorize: an app starts the OAuth 2.1 / OpenID Connect code flow (PKCE S256 required).
A valid request is kept for ten minutes and the browser sent to the hosted sign-in page (the
dashboard's `/oauth/authorize`); an invalid one is refused in OAuth's form, at the app's redirect URI
only once the app and that URI are verified."""

from latchkey.edge import oauth_server
from latchkey.edge.http import Request, api_handler
from latchkey.settings import get_settings
from latchkey.usecases import oauth


@api_handler
def handler(request: Request) -> dict:
    return oauth_server.authorize(oauth.issuer(request.api_url), oauth_server.query_of(request),
                                  f"{get_settings().app_base_url}/oauth/authorize")
