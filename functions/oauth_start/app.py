"""GET /v1/auth/oauth/{provider}/start?returnTo=<path>: a redirect to the provider's sign-in, with a
state bound to this browser by a cookie, a nonce and a PKCE S256 challenge."""

from latchkey.edge import oauth_browser
from latchkey.edge.http import Request, api_handler, redirect
from latchkey.usecases import federation


@api_handler
def handler(request: Request) -> dict:
    name = request.path_parameters["provider"]
    started = federation.start(name, oauth_browser.callback_uri(request, name), request.query.get("returnTo"))
    return redirect(started.url, [oauth_browser.state_cookie(started.browser)])
