"""GET /v1/api-keys: the organization's keys, without their secret."""

from latchkey import api_keys
from latchkey.http import Request, api_handler, respond


@api_handler
def handler(request: Request) -> dict:
    return respond({"apiKeys": [k.public() for k in api_keys.list_for(request.principal)]})
