"""PATCH /v1/organization: an admin sets (or, with null, clears) the result redirect URL."""

from typing import Annotated

from msgspec import Meta

from latchkey.edge.bodies import Body
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import organizations


class UpdateOrganizationBody(Body):
    resultRedirectUrl: Annotated[str, Meta(max_length=4096)] | None  # required; null clears it


@api_handler
def handler(request: Request) -> dict:
    body = request.json(UpdateOrganizationBody)
    organization = organizations.set_result_redirect_url(request.principal, body.resultRedirectUrl)
    return respond({"organization": organization.public()})
