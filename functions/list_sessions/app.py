"""GET /v1/auth/sessions: the signed-in user's live sessions, the current one marked."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import sessions


@api_handler
def handler(request: Request) -> dict:
    principal = request.principal
    live = sessions.list_live(principal)
    return respond({"sessions": [s.public(principal.session_id) for s in live]})
