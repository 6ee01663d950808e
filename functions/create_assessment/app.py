"""POST /v1/assessments: an organization admin creates an assessment."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.edge.schemas.assessments import CreateAssessmentBody
from latchkey.usecases import assessments


@api_handler
def handler(request: Request) -> dict:
    body = request.json(CreateAssessmentBody)
    assessment = assessments.create(request.principal, body.title.strip(), body.description)
    return respond(assessment.public(), status=201)
