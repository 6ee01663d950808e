"""POST /v1/auth/reset-password: a new password with the token from a reset email (and a code when
two-factor is on). Every session ends; no tokens are issued: sign in afresh."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import password_reset

ResetPasswordBody = compiled("ResetPasswordBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(ResetPasswordBody)
    password_reset.reset_password(body.token, body.password, body.code, request.client)
    return respond({"passwordChanged": True})
