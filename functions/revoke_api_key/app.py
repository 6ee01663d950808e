"""DELETE /v1/api-keys/{id}: revoke a key; the next request with it fails."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import api_keys


@api_handler
def handler(request: Request) -> dict:
    key_id = request.path_parameters.get("id", "")
    api_keys.revoke(request.principal, key_id)
    return respond({"revoked": key_id})
