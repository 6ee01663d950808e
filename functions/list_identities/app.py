"""GET /v1/auth/identities: the provider identities linked to the signed-in user."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import federation


@api_handler
def handler(request: Request) -> dict:
    return respond({"identities": federation.identities(request.principal.user_id)})
