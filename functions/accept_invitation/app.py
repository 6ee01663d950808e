"""POST /v1/auth/accept-invitation: the invitation's token, a name and a password in; the new
member signed in (exactly login's body) out."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import invitations

AcceptInvitationBody = compiled("AcceptInvitationBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(AcceptInvitationBody)
    signed_in = invitations.accept(body.token, body.name, body.password, request.client)
    return respond(signed_in.body(), status=201)
