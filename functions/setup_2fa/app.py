"""POST /v1/auth/2fa/setup: a new TOTP secret (base32, otpauth:// URL, QR code as SVG); not active
until /v1/auth/2fa/enable confirms a code from it."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import two_factor


@api_handler
def handler(request: Request) -> dict:
    return respond(two_factor.setup(request.principal).body())
