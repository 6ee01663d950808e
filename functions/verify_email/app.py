"""POST /v1/auth/verify-email: the token from a verification email (the address is verified) or from
an email-change confirmation (the account moves to the new address)."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.edge.schemas.recovery import VerifyEmailBody
from latchkey.usecases import recovery


@api_handler
def handler(request: Request) -> dict:
    recovery.verify_email(request.json(VerifyEmailBody).token)
    return respond({"emailVerified": True})
