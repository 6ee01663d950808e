"""DELETE /v1/organization/members/{userId}: an admin removes a member; their sessions end and the
API keys they created are revoked at once."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import members


@api_handler
def handler(request: Request) -> dict:
    user_id = request.path_parameters.get("userId", "")
    removed = members.remove(request.principal, user_id)
    return respond({"removed": user_id, "sessionsRevoked": removed.sessions_revoked,
                    "apiKeysRevoked": removed.api_keys_revoked})
