"""POST /v1/auth/logout (and /api/v1/auth/logout): end this session; the access token dies now.
Cookie mode: the refresh cookie is cleared too."""

from latchkey.edge import refresh_cookie
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import sessions


@api_handler
def handler(request: Request) -> dict:
    sessions.logout(request.principal)
    return refresh_cookie.cleared(request, respond({"loggedOut": True}))
