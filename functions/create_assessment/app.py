"""POST /v1/assessments: an organization admin creates an assessment."""

from typing import Annotated

from pydantic import StringConstraints

from latchkey import assessments
from latchkey.http import Request, api_handler, respond
from latchkey.inputs import Body


class CreateAssessmentBody(Body):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    description: Annotated[str, StringConstraints(max_length=2000)] = ""


@api_handler
def handler(request: Request) -> dict:
    body = request.json(CreateAssessmentBody)
    assessment = assessments.create(request.principal, body.title, body.description)
    return respond({"assessment": assessment.public()}, status=201)
