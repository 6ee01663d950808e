"""DELETE /v1/organization/apps/{id}: an admin deletes an app; its client id and secret are refused
from then on."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import apps


@api_handler
def handler(request: Request) -> dict:
    client_id = request.path_parameters.get("id", "")
    apps.delete(request.principal, client_id)
    return respond({"revoked": client_id})
