"""DELETE /v1/auth/sessions/{id}: end one of the signed-in user's own sessions."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import sessions


@api_handler
def handler(request: Request) -> dict:
    session_id = request.path_parameters.get("id", "")
    sessions.revoke(request.principal, session_id)
    return respond({"revoked": session_id})
