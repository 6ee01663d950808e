"""GET /v1/organization: the caller's organization and its settings."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import organizations


@api_handler
def handler(request: Request) -> dict:
    return respond(organizations.get(request.principal).public())
