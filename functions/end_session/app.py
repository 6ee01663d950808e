"""GET and POST /oauth2/logout: an app signs its user out (OpenID Connect RP-Initiated Logout 1.0). With a
valid `id_token_hint` (RS256, this issuer; expired is fine) and `client_id` its audience if sent, the app's
session the ID token names (`sid`) ends, and the hosted page's session that granted it; the browser's
refresh cookie is cleared. Then back to `post_logout_redirect_uri` (with `state`) if the app registered it
exactly; otherwise to the hosted page, which says the user is signed out (or, with no valid hint, asks).
It never redirects anywhere else."""

from urllib.parse import parse_qsl

from latchkey.edge import refresh_cookie
from latchkey.edge.http import Request, api_handler, redirect
from latchkey.settings import get_settings
from latchkey.usecases import oauth


@api_handler
def handler(request: Request) -> dict:
    form = dict(parse_qsl(request.body_text())) if request.method == "POST" else {}
    params = {**request.query, **form}
    done = oauth.end_session(oauth.issuer(request.api_url), params.get("id_token_hint", ""),
                             params.get("client_id", ""), params.get("post_logout_redirect_uri", ""),
                             params.get("state", ""))
    page = f"{get_settings().app_base_url}/oauth/logout" + ("?signedOut=1" if done.ended else "")
    return redirect(done.redirect_to or page, [refresh_cookie.clear_cookie()] if done.ended else [])
