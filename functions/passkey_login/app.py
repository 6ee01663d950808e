"""POST /v1/auth/passkeys/login: a passkey's assertion (`credential.toJSON()`), no password; exactly
login's body out (cookie mode: the refresh token as a cookie)."""

from latchkey.edge import refresh_cookie
from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler
from latchkey.usecases import passkeys

PasskeyLoginBody = compiled("PasskeyLoginBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(PasskeyLoginBody)
    return refresh_cookie.respond_tokens(request, passkeys.sign_in(body.credential, request.client).body())
