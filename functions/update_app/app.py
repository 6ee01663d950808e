"""PATCH /v1/organization/apps/{id}: an admin changes an app's name, redirect URIs, scopes or
first-party flag (a field left out, or null, is unchanged)."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import apps

UpdateAppBody = compiled("UpdateAppBody")
_FIELDS = {"name": "name", "redirectUris": "redirect_uris", "postLogoutRedirectUris": "post_logout_redirect_uris",
           "scopes": "scopes", "firstParty": "first_party"}


@api_handler
def handler(request: Request) -> dict:
    body = request.json(UpdateAppBody)
    changes = {field: body[name] for name, field in _FIELDS.items() if body.get(name) is not None}
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    app = apps.update(request.principal, request.path_parameters.get("id", ""), changes)
    return respond(app.public())
