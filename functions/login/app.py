"""POST /v1/auth/login (and /api/v1/auth/login): email and password in; tokens out, or a pending
token when the account has two-factor sign-in on."""

from typing import Annotated

from pydantic import StringConstraints

from latchkey import accounts, limits
from latchkey.http import Request, api_handler, respond
from latchkey.inputs import Body, Email


class LoginBody(Body):
    email: Email
    # No policy here: any stored password must still be accepted. Bounded so hashing stays cheap.
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]


@api_handler
def handler(request: Request) -> dict:
    limits.admit("login", request.client.source_ip)
    body = request.json(LoginBody)
    return respond(accounts.login(body.email, body.password, request.client).body())
