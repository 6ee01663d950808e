"""POST /v1/auth/passkeys/register: the new credential (`credential.toJSON()`) and a name; 201 with the
passkey. The user is told by mail; the event is audited."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import passkeys

RegisterPasskeyBody = compiled("RegisterPasskeyBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(RegisterPasskeyBody)
    passkey = passkeys.register(request.principal, body.credential, body.name)
    return respond(passkey.public(), status=201)
