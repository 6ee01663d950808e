"""GET /v1/auth/me: the signed-in user, and the address an email change waits on."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import accounts


@api_handler
def handler(request: Request) -> dict:
    return respond(accounts.current_user(request.principal.user_id).account())
