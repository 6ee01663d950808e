"""POST /v1/auth/refresh (and /api/v1/auth/refresh): rotate a refresh token into a new token pair."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.edge.schemas.auth import RefreshBody, TokensView
from latchkey.errors import NoRefreshToken
from latchkey.usecases import sessions


@api_handler
def handler(request: Request) -> dict:
    body = request.json(RefreshBody)
    if not body.refreshToken:
        raise NoRefreshToken()
    return respond(sessions.refresh(body.refreshToken).body(), TokensView)
