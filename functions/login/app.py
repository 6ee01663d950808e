"""POST /v1/auth/login (and /api/v1/auth/login): email and password in; tokens out, or a pending
token when the account has two-factor sign-in on."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.edge.schemas.auth import LoginBody, LoginView
from latchkey.usecases import accounts


@api_handler
def handler(request: Request) -> dict:
    body = request.json(LoginBody)
    return respond(accounts.login(body.email, body.password, request.client).body(), LoginView)
