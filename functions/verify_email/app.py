"""POST /v1/auth/verify-email: the token from a verification email (the address is verified) or from
an email-change confirmation (the account moves to the new address)."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import recovery

VerifyEmailBody = compiled("VerifyEmailBody")


@api_handler
def handler(request: Request) -> dict:
    recovery.verify_email(request.json(VerifyEmailBody).token)
    return respond({"emailVerified": True})
