"""POST /v1/candidate/complete: what the assessment runner calls for the candidate. The invitation
token is the only credential and works once; the answer carries where to send the candidate."""

from typing import Annotated, Any

from msgspec import Meta

from latchkey.edge.bodies import Body
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import candidates


class CompleteBody(Body):
    invitationToken: Annotated[str, Meta(min_length=1, max_length=512)]
    answers: dict[str, Any]


@api_handler
def handler(request: Request) -> dict:
    body = request.json(CompleteBody)
    return respond(candidates.complete(body.invitationToken, body.answers).body())
