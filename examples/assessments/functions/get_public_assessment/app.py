"""GET /v1/public/assessments/{id} (scope assessments:read): one assessment of the key's organization."""

from assessments_example.usecases import assessments

from latchkey.edge.http import Request, api_handler, respond


@api_handler
def handler(request: Request) -> dict:
    assessment = assessments.get(request.principal, request.path_parameters.get("id", ""))
    return respond(assessment.public())
