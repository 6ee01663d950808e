"""GET /v1/auth/me: the signed-in user."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import accounts


@api_handler
def handler(request: Request) -> dict:
    return respond(accounts.current_user(request.principal.user_id).public())
