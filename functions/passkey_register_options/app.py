"""POST /v1/auth/passkeys/register/options: creation options for a new passkey of the signed-in user
(step-up), whose challenge is bound to this session for five minutes."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import passkeys


@api_handler
def handler(request: Request) -> dict:
    return respond(passkeys.register_options(request.principal))
