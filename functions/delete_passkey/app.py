"""DELETE /v1/auth/passkeys/{id}: removes one of the signed-in user's passkeys (step-up); they are told
by mail, the event is audited."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import passkeys


@api_handler
def handler(request: Request) -> dict:
    passkey_id = request.path_parameters.get("id", "")
    passkeys.remove(request.principal, passkey_id)
    return respond({"removed": passkey_id})
