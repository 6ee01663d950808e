"""POST /v1/admin/users (operators: AWS IAM): a new user, in an organization of their own or in an
existing one with a role; audited with the IAM principal as actor."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import operators

CreateUserBody = compiled("CreateUserBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(CreateUserBody)
    user = operators.create(body.email, body.name, body.password, email_verified=body.emailVerified,
                            organization_id=body.organizationId, role=body.role)
    return respond(user.as_operators_see(), 201)
