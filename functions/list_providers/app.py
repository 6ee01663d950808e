"""GET /v1/auth/providers: the upstream identity providers that are on, for the sign-in page's buttons."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import federation


@api_handler
def handler(request: Request) -> dict:
    return respond({"providers": [p.public() for p in federation.providers()]})
