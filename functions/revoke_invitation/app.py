"""DELETE /v1/organization/invitations/{id}: an admin revokes a pending invitation."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import invitations


@api_handler
def handler(request: Request) -> dict:
    invitation_id = request.path_parameters.get("id", "")
    invitations.revoke(request.principal, invitation_id)
    return respond({"revoked": invitation_id})
