"""DELETE /v1/organization/members/{userId}/sessions: an admin ends every session of a member."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import members


@api_handler
def handler(request: Request) -> dict:
    ended = members.end_sessions(request.principal, request.path_parameters.get("userId", ""))
    return respond({"sessionsRevoked": ended})
