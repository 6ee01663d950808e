"""POST /v1/candidate/complete: what the assessment runner calls for the candidate. The invitation
token is the only credential and works once; the answer carries where to send the candidate."""

from assessments_example.usecases import candidates

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond

CompleteAssessmentBody = compiled("CompleteAssessmentBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(CompleteAssessmentBody)
    return respond(candidates.complete(body.invitationToken, body.answers).body())
