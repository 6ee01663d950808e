"""DELETE /v1/auth/identities/{id} (step-up): unlink one of the user's identities, never their last way
to sign in."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import federation


@api_handler
def handler(request: Request) -> dict:
    identity_id = request.path_parameters["id"]
    federation.unlink(request.principal.user_id, identity_id)
    return respond({"removed": identity_id})
