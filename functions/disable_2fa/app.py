"""POST /v1/auth/2fa/disable: turn two-factor sign-in off, with the password and a code."""

from latchkey import two_factor
from latchkey.http import Request, api_handler, respond
from latchkey.inputs import AnyPassword, Body, TwoFactorCode


class DisableBody(Body):
    password: AnyPassword
    code: TwoFactorCode


@api_handler
def handler(request: Request) -> dict:
    body = request.json(DisableBody)
    two_factor.disable(request.principal, body.password, body.code)
    return respond({"enabled": False})
