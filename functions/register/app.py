"""POST /v1/auth/register: create a user and the organization they administer; sign them in."""

from latchkey import accounts, limits
from latchkey.http import Request, api_handler, respond
from latchkey.inputs import Body, Email, Name, Password


class RegisterBody(Body):
    email: Email
    password: Password
    name: Name
    organizationName: Name | None = None


@api_handler
def handler(request: Request) -> dict:
    limits.admit("register", request.client.source_ip)
    body = request.json(RegisterBody)
    signed_in = accounts.register(body.email, body.password, body.name, body.organizationName, request.client)
    return respond(signed_in.body(), status=201)
