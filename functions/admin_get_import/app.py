"""GET /v1/admin/imports/{id} (operators: AWS IAM): an import's status, counts and refused lines."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import operators


@api_handler
def handler(request: Request) -> dict:
    return respond(operators.import_job(request.path_parameters["id"]))
