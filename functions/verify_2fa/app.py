"""POST /v1/auth/verify-2fa (and /api/v1/auth/verify-2fa): the pending token from login and a code
(TOTP or recovery) in; exactly login's body out."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.edge.schemas.auth import SignedInView, VerifyTwoFactorBody
from latchkey.usecases import two_factor


@api_handler
def handler(request: Request) -> dict:
    body = request.json(VerifyTwoFactorBody)
    return respond(two_factor.verify(body.pendingToken, body.code, request.client).body(), SignedInView)
