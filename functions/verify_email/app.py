"""POST /v1/auth/verify-email: the token from a verification email (the address is verified) or one of
an email change's two links, the new address's confirmation and the current address's approval (the
account moves to the new address once both came back)."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import recovery

VerifyEmailBody = compiled("VerifyEmailBody")


@api_handler
def handler(request: Request) -> dict:
    return respond(recovery.verify_email(request.json(VerifyEmailBody).token).body())
