"""POST /v1/auth/email-code/verify: the address and the code sent to it in; exactly login's answer out
(tokens, or a pending token when two-factor sign-in is on). Cookie mode: the refresh token as a cookie."""

from latchkey.edge import refresh_cookie
from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler
from latchkey.usecases import passwordless

VerifyEmailCodeBody = compiled("VerifyEmailCodeBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(VerifyEmailCodeBody)
    signed_in = passwordless.sign_in_with_code(body.email, body.code, request.client)
    return refresh_cookie.respond_tokens(request, signed_in.body())
