"""GET /v1/public/results/{token} (results:read): a result token for the full result.

The token is in the path: it is never logged (the logs name the resource, /v1/public/results/{token})."""

from assessments_example.usecases import candidates

from latchkey.edge.http import Request, api_handler, respond


@api_handler
def handler(request: Request) -> dict:
    return respond(candidates.exchange(request.principal, request.path_parameters.get("token", "")))
