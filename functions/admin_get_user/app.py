"""GET /v1/admin/users/{id} (operators: AWS IAM): one user."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import operators


@api_handler
def handler(request: Request) -> dict:
    return respond(operators.get(request.path_parameters["id"]).as_operators_see())
