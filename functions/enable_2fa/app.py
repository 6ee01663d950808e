"""POST /v1/auth/2fa/enable: the password and a code from the set-up secret; the recovery codes, shown
once."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import two_factor

EnableTwoFactorBody = compiled("EnableTwoFactorBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(EnableTwoFactorBody)
    return respond({"enabled": True, "recoveryCodes": two_factor.enable(request.principal, body.password, body.code)})
