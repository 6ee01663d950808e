"""GET /v1/admin/exports/{id} (operators: AWS IAM): the export and a 15-minute download URL of its file."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import operators


@api_handler
def handler(request: Request) -> dict:
    return respond(operators.export_job(request.path_parameters["id"]))
