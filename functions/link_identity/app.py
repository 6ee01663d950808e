"""POST /v1/auth/identities/{id}/link (step-up): the provider's URL to send the browser to; the state,
bound to this browser by a cookie, names the signed-in user, and the callback links the identity to
them and returns to settings. `{id}` names the provider: API Gateway allows one variable name at a
level, and DELETE /v1/auth/identities/{id} takes an identity's."""

from latchkey.edge import oauth_browser
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import federation


@api_handler
def handler(request: Request) -> dict:
    name = request.path_parameters["id"]  # the provider: google, github or oidc
    started = federation.start(name, oauth_browser.callback_uri(request, name), "/settings/security",
                               link_user=request.principal.user_id)
    return respond({"url": started.url}, headers={"Set-Cookie": oauth_browser.state_cookie(started.browser)})
