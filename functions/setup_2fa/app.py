"""POST /v1/auth/2fa/setup: a new TOTP secret (base32, otpauth:// URL, QR code as SVG); not active
until /v1/auth/2fa/enable confirms a code from it."""

from latchkey import two_factor
from latchkey.http import Request, api_handler, respond


@api_handler
def handler(request: Request) -> dict:
    return respond(two_factor.setup(request.principal).body())
