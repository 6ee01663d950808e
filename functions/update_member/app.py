"""PATCH /v1/organization/members/{userId}: an admin changes a member's role, effective on the
member's next request; the organization always keeps an admin."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import members

UpdateMemberBody = compiled("UpdateMemberBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(UpdateMemberBody)
    member = members.change_role(request.principal, request.path_parameters.get("userId", ""), body.role)
    return respond(member.as_member())
