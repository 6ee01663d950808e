"""GET /v1/assessments (dashboard) and GET /v1/public/assessments (API keys with assessments:read):
the caller's organization's assessments, oldest first, paged. One function for both routes: the
route guard tells the two apart."""

from assessments_example.usecases import assessments

from latchkey.edge.http import Request, api_handler, respond


@api_handler
def handler(request: Request) -> dict:
    limit, cursor = request.page()
    page, next_cursor = assessments.list_for(request.principal, limit, cursor)
    return respond({"assessments": [a.public() for a in page], "nextCursor": next_cursor})
