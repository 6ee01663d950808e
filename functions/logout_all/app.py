"""POST /v1/auth/logout-all: sign out everywhere; `{"revokeApiKeys": true}` revokes the API keys the
caller created too (no body: keys stay). Cookie mode: the refresh cookie is cleared too."""

from latchkey.edge import refresh_cookie
from latchkey.edge.http import Request, api_handler, respond
from latchkey.edge.schemas.auth import LogoutAllBody
from latchkey.usecases import sessions


@api_handler
def handler(request: Request) -> dict:
    body = request.json(LogoutAllBody) if request.event.get("body") else LogoutAllBody()
    done = sessions.logout_all(request.principal, revoke_api_keys=body.revokeApiKeys)
    return refresh_cookie.cleared(request, respond({"loggedOut": True, "sessionsRevoked": done.sessions_revoked,
                                                    "apiKeysRevoked": done.api_keys_revoked}))
