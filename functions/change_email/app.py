"""POST /v1/auth/change-email: the password and a new address (recent sign-in); a confirmation link
goes to it, and the account moves there once it is opened (POST /v1/auth/verify-email)."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import account_changes

ChangeEmailBody = compiled("ChangeEmailBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(ChangeEmailBody)
    pending = account_changes.change_email(request.principal, body.password, body.newEmail)
    return respond({"pendingEmail": pending}, status=202)
