"""POST /v1/auth/login: email and password in, access and refresh tokens out."""

from typing import Annotated

from pydantic import StringConstraints

from latchkey import accounts
from latchkey.http import Request, api_handler, respond
from latchkey.inputs import Body, Email


class LoginBody(Body):
    email: Email
    # No policy here: any stored password must still be accepted. Bounded so hashing stays cheap.
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]


@api_handler
def handler(request: Request) -> dict:
    body = request.json(LoginBody)
    return respond(accounts.login(body.email, body.password, request.client).body())
