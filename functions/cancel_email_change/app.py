"""POST /v1/auth/change-email/cancel: the link mailed to the current address cancels a pending email
change."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import recovery

VerifyEmailBody = compiled("VerifyEmailBody")  # the same body: a one-time token from an email's link


@api_handler
def handler(request: Request) -> dict:
    recovery.cancel_email_change(request.json(VerifyEmailBody).token)
    return respond({"cancelled": True})
