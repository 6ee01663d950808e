"""POST /v1/organization/invitations: an admin invites an address with a role; the invitation's
token goes to the invitee by email, never into this response."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import invitations

InviteMemberBody = compiled("InviteMemberBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(InviteMemberBody)
    invitation = invitations.invite(request.principal, body.email, body.role)
    return respond(invitation.public(), status=201)
