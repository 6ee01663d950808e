"""POST /v1/auth/passkeys/login/options: request options for a passkey. `{}`: a passwordless sign-in
(discoverable credentials); `{"pendingToken"}`: the second factor of a password sign-in; with a Bearer
token: the step-up (`/v1/auth/reauthenticate {"credential"}`)."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import passkeys

PasskeyLoginOptionsBody = compiled("PasskeyLoginOptionsBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(PasskeyLoginOptionsBody)
    bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip() or None
    return respond(passkeys.login_options(body.pendingToken, bearer))
