"""POST /v1/assessments: an organization admin creates an assessment. With `Idempotency-Key`, a retry
of the same request answers the same assessment once more instead of creating a second."""

from assessments_example.usecases import assessments

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, idempotent, respond

CreateAssessmentBody = compiled("CreateAssessmentBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(CreateAssessmentBody)

    def create() -> dict:
        return respond(assessments.create(request.principal, body.title.strip(), body.description).public(),
                       status=201)

    return idempotent(request, body, create)
