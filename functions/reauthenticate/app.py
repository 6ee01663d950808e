"""POST /v1/auth/reauthenticate: the password again (and a code when two-factor is on), or a passkey's
assertion, for a fresh pair of this session, whose `auth_time` is now: the step-up that sensitive
actions ask for. Cookie mode: the rotated refresh token into the cookie (the one there is spent)."""

from latchkey.edge import refresh_cookie
from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler
from latchkey.usecases import two_factor

ReauthenticateBody = compiled("ReauthenticateBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(ReauthenticateBody)
    pair = two_factor.reauthenticate(request.principal, body.password, body.code, body.credential)
    return refresh_cookie.respond_tokens(request, pair.body())
