"""POST /v1/admin/users/{id}/disable (operators: AWS IAM): no sign-in or refresh for the user; their
sessions and the API keys they created stop on the next request."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import operators


@api_handler
def handler(request: Request) -> dict:
    return respond(operators.disable(request.path_parameters["id"]).body())
