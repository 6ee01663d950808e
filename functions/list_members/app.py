"""GET /v1/organization/members?limit=&cursor=: the organization's members (any member may list them)."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import members


@api_handler
def handler(request: Request) -> dict:
    limit, cursor = request.page()
    found, next_cursor = members.list_page(request.principal, limit, cursor)
    return respond({"members": [m.as_member() for m in found], "nextCursor": next_cursor})
