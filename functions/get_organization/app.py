"""GET /v1/organization: the caller's organization and its settings."""

from latchkey import organizations
from latchkey.http import Request, api_handler, respond


@api_handler
def handler(request: Request) -> dict:
    return respond({"organization": organizations.get(request.principal).public()})
