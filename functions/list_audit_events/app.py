"""GET /v1/audit-events?type=&userId=&limit=&cursor=: the audit trail, newest first, paged. Admins read
their organization's events, members their own; never another organization's."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import audit


@api_handler
def handler(request: Request) -> dict:
    limit, cursor = request.page()
    events, next_cursor = audit.list_page(request.principal, request.query.get("type"), request.query.get("userId"),
                                          limit, cursor)
    return respond({"auditEvents": [audit.public(e) for e in events], "nextCursor": next_cursor})
