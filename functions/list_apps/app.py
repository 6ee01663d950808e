"""GET /v1/organization/apps: the organization's OAuth apps, never their secret."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import apps


@api_handler
def handler(request: Request) -> dict:
    return respond({"apps": [app.public() for app in apps.list_for(request.principal)]})
