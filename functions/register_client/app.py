"""POST /oauth2/register: dynamic client registration (RFC 7591), for agents and tools that find the
provider on their own (the MCP authorization spec). Off unless OAuthDynamicRegistration is Enabled (then
403 access_denied). A public client, PKCE only, never first party, https:// or loopback redirect URIs,
a user's sign-in and the API's read scopes at most, in the organization OAuthRegistrationOrganizationId
names; rate-limited per source IP as sign-ups are. The metadata (the document's ClientRegistrationBody)
is read as the RFC asks, not by a compiled body: unknown fields ignored, refusals in its own form."""

import json

from latchkey.edge.http import Request, api_handler
from latchkey.usecases import apps

_HEADERS = {"Content-Type": "application/json", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


@api_handler
def handler(request: Request) -> dict:
    try:
        metadata = json.loads(request.body_text() or "null")
    except ValueError:
        metadata = None
    try:
        status, answer = 201, apps.registration_answer(apps.register_dynamic(metadata))
    except apps.RegistrationRefused as refused:
        status, answer = refused.status, {"error": refused.error, "error_description": refused.description}
    return {"statusCode": status, "headers": _HEADERS, "body": json.dumps(answer, separators=(",", ":"))}
