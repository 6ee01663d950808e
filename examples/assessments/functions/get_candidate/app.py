"""GET /v1/public/candidates/{id} (candidates:read): one of the organization's candidates."""

from assessments_example.usecases import candidates

from latchkey.edge.http import Request, api_handler, respond


@api_handler
def handler(request: Request) -> dict:
    return respond(candidates.get(request.principal, request.path_parameters.get("id", "")).public())
