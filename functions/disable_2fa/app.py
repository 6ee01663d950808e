"""POST /v1/auth/2fa/disable: turn two-factor sign-in off, with the password and a code."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import two_factor

DisableTwoFactorBody = compiled("DisableTwoFactorBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(DisableTwoFactorBody)
    two_factor.disable(request.principal, body.password, body.code)
    return respond({"enabled": False})
