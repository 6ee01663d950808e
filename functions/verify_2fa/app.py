"""POST /v1/auth/verify-2fa (and /api/v1/auth/verify-2fa): the pending token from login and a code
(TOTP or recovery) or a passkey's assertion in; exactly login's body out (cookie mode: the refresh
token as a cookie)."""

from latchkey.edge import refresh_cookie
from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler
from latchkey.usecases import two_factor

VerifyTwoFactorBody = compiled("VerifyTwoFactorBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(VerifyTwoFactorBody)
    signed_in = two_factor.verify(body.pendingToken, body.code, request.client, body.credential)
    return refresh_cookie.respond_tokens(request, signed_in.body())
