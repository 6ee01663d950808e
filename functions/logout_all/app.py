"""POST /v1/auth/logout-all: end every session of the signed-in user."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.edge.schemas.auth import LoggedOutEverywhereView
from latchkey.usecases import sessions


@api_handler
def handler(request: Request) -> dict:
    return respond({"loggedOut": True, "sessionsRevoked": sessions.logout_all(request.principal)},
                   LoggedOutEverywhereView)
