"""POST /v1/auth/refresh (and /api/v1/auth/refresh): rotate a refresh token into a new token pair.
Cookie mode: the token from the cookie (the body's is ignored), the new one into it."""

from latchkey.edge import refresh_cookie
from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler
from latchkey.errors import NoRefreshToken
from latchkey.usecases import sessions

RefreshBody = compiled("RefreshBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(RefreshBody)
    token = refresh_cookie.presented(request) if request.cookie_mode else body.refreshToken
    if not token:
        raise NoRefreshToken()
    return refresh_cookie.respond_tokens(request, sessions.refresh(token, request.client.source_ip).body())
