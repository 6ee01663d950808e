"""GET /v1/admin/users?email= (operators: AWS IAM): the user with this address."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.errors import ValidationFailed
from latchkey.usecases import operators


@api_handler
def handler(request: Request) -> dict:
    email = request.query.get("email", "").strip()
    if not email or len(email) > 256:
        raise ValidationFailed("Query parameter email is required",
                               details=[{"field": "email", "message": "an address, at most 256 characters"}])
    return respond(operators.find(email).as_operators_see())
