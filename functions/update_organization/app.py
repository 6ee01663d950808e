"""PATCH /v1/organization: an admin sets (or, with null, clears) the result redirect URL."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import organizations

UpdateOrganizationBody = compiled("UpdateOrganizationBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(UpdateOrganizationBody)
    organization = organizations.set_result_redirect_url(request.principal, body.resultRedirectUrl)
    return respond(organization.public())
