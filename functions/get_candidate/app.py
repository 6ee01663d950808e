"""GET /v1/public/candidates/{id} (candidates:read): one of the organization's candidates."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import candidates


@api_handler
def handler(request: Request) -> dict:
    return respond(candidates.get(request.principal, request.path_parameters.get("id", "")).public())
