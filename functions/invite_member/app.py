"""POST /v1/organization/invitations: an admin invites an address with a role; the invitation's
token goes to the invitee by email, never into this response. With `Idempotency-Key`, a retry of the
same request answers the same invitation once more, sending no second email."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, idempotent, respond
from latchkey.usecases import invitations

InviteMemberBody = compiled("InviteMemberBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(InviteMemberBody)

    def invite() -> dict:
        return respond(invitations.invite(request.principal, body.email, body.role).public(), status=201)

    return idempotent(request, body, invite)
