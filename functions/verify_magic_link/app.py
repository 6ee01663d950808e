"""POST /v1/auth/magic-link/verify: the token from a sign-in link in; exactly login's answer out (tokens,
or a pending token when two-factor sign-in is on). Cookie mode: the refresh token as a cookie."""

from latchkey.edge import refresh_cookie
from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler
from latchkey.usecases import passwordless

VerifyMagicLinkBody = compiled("VerifyMagicLinkBody")


@api_handler
def handler(request: Request) -> dict:
    signed_in = passwordless.sign_in_with_link(request.json(VerifyMagicLinkBody).token, request.client)
    return refresh_cookie.respond_tokens(request, signed_in.body())
