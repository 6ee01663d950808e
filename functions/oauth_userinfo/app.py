"""GET /oauth2/userinfo: the signed-in user's claims, as the app's access token's scope allows (OpenID
Connect Core 5.3): `sub` and `org_id`; `name` with `profile`; `email` and `email_verified` with
`email`. A token without `openid` is refused (403 INSUFFICIENT_SCOPE)."""

import json

from latchkey.edge.http import Request, api_handler
from latchkey.errors import InsufficientScope
from latchkey.usecases import oauth

_HEADERS = {"Content-Type": "application/json", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


@api_handler
def handler(request: Request) -> dict:
    claims = oauth.userinfo(request.principal, str(request.bearer_claims().get("scope", "")))
    if claims is None:
        raise InsufficientScope("This access token was not granted the openid scope",
                                details=[{"missingScope": "openid"}])
    return {"statusCode": 200, "headers": _HEADERS, "body": json.dumps(claims, separators=(",", ":"))}
