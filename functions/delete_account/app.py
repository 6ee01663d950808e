"""POST /v1/auth/delete-account: the password (and a code when two-factor is on), recent sign-in;
the account, its sessions and its keys go at once."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import account_changes

DeleteAccountBody = compiled("DeleteAccountBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(DeleteAccountBody)
    account_changes.delete_account(request.principal, body.password, body.code)
    return respond({"deleted": True})
