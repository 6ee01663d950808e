"""GET /v1/organization/invitations: the organization's pending invitations, never their tokens."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import invitations


@api_handler
def handler(request: Request) -> dict:
    pending = invitations.list_pending(request.principal)
    return respond({"invitations": [i.public() for i in pending]})
