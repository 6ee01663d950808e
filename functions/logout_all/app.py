"""POST /v1/auth/logout-all: sign out everywhere; `{"revokeApiKeys": true}` revokes the API keys the
caller created too (no body: keys stay). Cookie mode: the refresh cookie is cleared too."""

from latchkey.edge import refresh_cookie
from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import sign_out

LogoutAllBody = compiled("LogoutAllBody")


@api_handler
def handler(request: Request) -> dict:
    revoke_api_keys = bool(request.event.get("body")) and request.json(LogoutAllBody).revokeApiKeys
    done = sign_out.everywhere(request.principal, revoke_api_keys=revoke_api_keys)
    return refresh_cookie.cleared(request, respond({"loggedOut": True, "sessionsRevoked": done.sessions_revoked,
                                                    "apiKeysRevoked": done.api_keys_revoked}))
