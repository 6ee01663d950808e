"""POST /v1/auth/change-password: the current password and a new one (recent sign-in); every other
session ends."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import account_changes

ChangePasswordBody = compiled("ChangePasswordBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(ChangePasswordBody)
    account_changes.change_password(request.principal, body.currentPassword, body.newPassword)
    return respond({"passwordChanged": True})
