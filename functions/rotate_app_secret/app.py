"""POST /v1/organization/apps/{id}/rotate-secret: a confidential app's new secret, in this response
only; the previous secret is refused at once."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import apps


@api_handler
def handler(request: Request) -> dict:
    client_id = request.path_parameters.get("id", "")
    return respond({"clientId": client_id, "clientSecret": apps.rotate_secret(request.principal, client_id)})
