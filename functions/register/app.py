"""POST /v1/auth/register: create a user and the organization they administer; sign them in (cookie
mode: the refresh token as a cookie)."""

from latchkey.edge import refresh_cookie
from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler
from latchkey.usecases import accounts

RegisterBody = compiled("RegisterBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(RegisterBody)
    signed_in = accounts.register(body.email, body.password, body.name, body.organizationName, request.client)
    return refresh_cookie.respond_tokens(request, signed_in.body(), status=201)
