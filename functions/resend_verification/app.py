"""POST /v1/auth/verify-email/resend: a new verification link to the signed-in user's address."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import recovery


@api_handler
def handler(request: Request) -> dict:
    recovery.resend_verification(request.principal)
    return respond({"accepted": True}, status=202)
