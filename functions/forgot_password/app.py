"""POST /v1/auth/forgot-password: a reset link to the address's account, if it has one. The same
answer, after the same work, for every well-formed address."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import recovery

ForgotPasswordBody = compiled("ForgotPasswordBody")


@api_handler
def handler(request: Request) -> dict:
    recovery.forgot_password(request.json(ForgotPasswordBody).email)
    return respond({"accepted": True}, status=202)
