"""POST /v1/assessments: an organization admin creates an assessment."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import assessments

CreateAssessmentBody = compiled("CreateAssessmentBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(CreateAssessmentBody)
    assessment = assessments.create(request.principal, body.title.strip(), body.description)
    return respond(assessment.public(), status=201)
