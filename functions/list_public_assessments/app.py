"""GET /v1/public/assessments (scope assessments:read): the key's organization's assessments."""

from latchkey import assessments
from latchkey.http import Request, api_handler, respond


@api_handler
def handler(request: Request) -> dict:
    limit, cursor = request.page()
    page, next_cursor = assessments.list_for(request.principal, limit, cursor)
    return respond({"assessments": [a.public() for a in page], "nextCursor": next_cursor})
