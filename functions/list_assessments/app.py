"""GET /v1/assessments: the caller's organization's assessments."""

from latchkey import assessments
from latchkey.http import Request, api_handler, respond


@api_handler
def handler(request: Request) -> dict:
    return respond({"assessments": [a.public() for a in assessments.list_for(request.principal)]})
