"""POST /v1/auth/login (and /api/v1/auth/login): email and password in; tokens out, or a pending
token when the account has two-factor sign-in on."""

from latchkey import accounts, limits
from latchkey.http import Request, api_handler, respond
from latchkey.inputs import AnyPassword, Body, Email


class LoginBody(Body):
    email: Email
    password: AnyPassword  # no policy here: any stored password must still be accepted


@api_handler
def handler(request: Request) -> dict:
    limits.admit("login", request.client.source_ip)
    body = request.json(LoginBody)
    return respond(accounts.login(body.email, body.password, request.client).body())
