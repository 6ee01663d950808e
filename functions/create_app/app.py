"""POST /v1/organization/apps: an admin registers an OAuth app; a confidential app's secret is in this
response only (stored as its SHA-256)."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import apps

CreateAppBody = compiled("CreateAppBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(CreateAppBody)
    app, secret = apps.register(request.principal, body.name.strip(), body.redirectUris, body.type, body.scopes,
                                body.firstParty, body.postLogoutRedirectUris)
    return respond({**app.public(), "clientSecret": secret}, status=201)
