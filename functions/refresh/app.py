"""POST /v1/auth/refresh (and /api/v1/auth/refresh): rotate a refresh token into a new token pair."""

from typing import Annotated

from msgspec import Meta

from latchkey.edge.bodies import Body
from latchkey.edge.http import Request, api_handler, respond
from latchkey.errors import NoRefreshToken
from latchkey.usecases import sessions


class RefreshBody(Body):
    refreshToken: Annotated[str, Meta(max_length=4096)] | None = None  # absent or empty: a 401, not a 400


@api_handler
def handler(request: Request) -> dict:
    body = request.json(RefreshBody)
    if not body.refreshToken:
        raise NoRefreshToken()
    return respond(sessions.refresh(body.refreshToken).body())
