"""GET /v1/auth/passkeys: the signed-in user's passkeys, oldest first."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import passkeys


@api_handler
def handler(request: Request) -> dict:
    return respond({"passkeys": [p.public() for p in passkeys.list_passkeys(request.principal)]})
