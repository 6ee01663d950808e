"""PATCH /v1/auth/passkeys/{id}: a new name for one of the signed-in user's passkeys."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import passkeys

RenamePasskeyBody = compiled("RenamePasskeyBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(RenamePasskeyBody)
    passkey = passkeys.rename(request.principal, request.path_parameters.get("id", ""), body.name)
    return respond(passkey.public())
