"""POST /v1/auth/login (and /api/v1/auth/login): email and password in; tokens out, or a pending
token when the account has two-factor sign-in on. Cookie mode: the refresh token as a cookie."""

from latchkey.edge import refresh_cookie
from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler
from latchkey.usecases import accounts

LoginBody = compiled("LoginBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(LoginBody)
    signed_in = accounts.login(body.email, body.password, request.client)
    return refresh_cookie.respond_tokens(request, signed_in.body())
