"""POST /v1/auth/register: create a user and the organization they administer; sign them in."""

from latchkey.edge.bodies import Body, Email, Name, Password
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import accounts


class RegisterBody(Body):
    email: Email
    password: Password
    name: Name
    organizationName: Name | None = None


@api_handler
def handler(request: Request) -> dict:
    body = request.json(RegisterBody)
    signed_in = accounts.register(body.email, body.password, body.name, body.organizationName, request.client)
    return respond(signed_in.body(), status=201)
