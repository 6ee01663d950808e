"""POST /v1/public/candidates (candidates:write): invite a candidate to one of the organization's
assessments; the invitation token is in this response only."""

from typing import Annotated

from msgspec import Meta

from latchkey.edge.bodies import Body, Email, Name
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import candidates


class InviteBody(Body):
    assessmentId: Annotated[str, Meta(max_length=64)]
    email: Email
    name: Name


@api_handler
def handler(request: Request) -> dict:
    body = request.json(InviteBody)
    candidate, invitation = candidates.invite(request.principal, body.assessmentId, body.email, body.name)
    return respond({**candidate.public(), "invitationToken": invitation}, status=201)
