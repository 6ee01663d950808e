"""POST /v1/admin/users/{id}/enable (operators: AWS IAM): a disabled user may sign in again."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import operators


@api_handler
def handler(request: Request) -> dict:
    return respond(operators.enable(request.path_parameters["id"]).as_operators_see())
