"""GET /v1/api-keys: the organization's keys, without their secret."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import api_keys


@api_handler
def handler(request: Request) -> dict:
    return respond({"apiKeys": [k.public() for k in api_keys.list_for(request.principal)]})
