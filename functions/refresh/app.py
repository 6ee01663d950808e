"""POST /v1/auth/refresh (and /api/v1/auth/refresh): rotate a refresh token into a new token pair."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.edge.schemas.auth import RefreshBody, TokensView
from latchkey.errors import Unauthorized
from latchkey.usecases import request_limits, sessions


@api_handler
def handler(request: Request) -> dict:
    request_limits.admit("refresh", request.client.source_ip)
    body = request.json(RefreshBody)
    if not body.refreshToken:
        raise Unauthorized("No refresh token", code="NO_REFRESH_TOKEN")
    return respond(sessions.refresh(body.refreshToken).body(), TokensView)
