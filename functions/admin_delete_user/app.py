"""DELETE /v1/admin/users/{id} (operators: AWS IAM): the account goes as its owner's delete-account
would take it (the organization's sole admin with other members: 409)."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import operators


@api_handler
def handler(request: Request) -> dict:
    operators.delete(request.path_parameters["id"])
    return respond({"deleted": True})
