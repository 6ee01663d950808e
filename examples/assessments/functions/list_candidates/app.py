"""GET /v1/public/candidates?assessmentId=&limit=&cursor= (candidates:read): the organization's
candidates, oldest first, paged; never their invitation token."""

from assessments_example.usecases import candidates

from latchkey.edge.http import Request, api_handler, respond


@api_handler
def handler(request: Request) -> dict:
    limit, cursor = request.page()
    page, next_cursor = candidates.list_page(request.principal, request.query.get("assessmentId"), limit, cursor)
    return respond({"candidates": [c.public() for c in page], "nextCursor": next_cursor})
