"""GET /v1/auth/me: the signed-in user."""

from latchkey import accounts
from latchkey.http import Request, api_handler, respond


@api_handler
def handler(request: Request) -> dict:
    return respond({"user": accounts.current_user(request.principal.user_id).public()})
