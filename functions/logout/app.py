"""POST /v1/auth/logout (and /api/v1/auth/logout): end this session; the access token dies now."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.edge.schemas.auth import LoggedOutView
from latchkey.usecases import sessions


@api_handler
def handler(request: Request) -> dict:
    sessions.logout(request.principal)
    return respond({"loggedOut": True}, LoggedOutView)
