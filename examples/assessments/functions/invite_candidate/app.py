"""POST /v1/public/candidates (candidates:write): invite a candidate to one of the organization's
assessments; the invitation token is in this response only. With `Idempotency-Key`, a retry of the
same request answers the same candidate once more instead of inviting them twice."""

from assessments_example.usecases import candidates

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, idempotent, respond

InviteCandidateBody = compiled("InviteCandidateBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(InviteCandidateBody)

    def invite() -> dict:
        candidate, invitation = candidates.invite(request.principal, body.assessmentId, body.email, body.name)
        return respond({**candidate.public(), "invitationToken": invitation}, status=201)

    return idempotent(request, body, invite)
