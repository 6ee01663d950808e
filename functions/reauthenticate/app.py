"""POST /v1/auth/reauthenticate: the password again (and a code when two-factor is on) for a fresh
pair of this session, whose `auth_time` is now: the step-up that sensitive actions ask for."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.edge.schemas.auth import ReauthenticateBody, TokensView
from latchkey.usecases import two_factor


@api_handler
def handler(request: Request) -> dict:
    body = request.json(ReauthenticateBody)
    return respond(two_factor.reauthenticate(request.principal, body.password, body.code).body(), TokensView)
