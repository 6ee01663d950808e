"""POST /v1/auth/register: create a user and the organization they administer; sign them in."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.edge.schemas.auth import RegisterBody, SignedInView
from latchkey.usecases import accounts


@api_handler
def handler(request: Request) -> dict:
    body = request.json(RegisterBody)
    signed_in = accounts.register(body.email, body.password, body.name, body.organizationName, request.client)
    return respond(signed_in.body(), SignedInView, status=201)
