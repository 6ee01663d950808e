"""POST /v1/admin/users/{id}/sign-out (operators: AWS IAM): the user signed out everywhere, and the API
keys they created revoked."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import operators


@api_handler
def handler(request: Request) -> dict:
    return respond(operators.sign_out_everywhere(request.path_parameters["id"]).body())
