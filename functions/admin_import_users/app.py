"""POST /v1/admin/imports (operators: AWS IAM): users in JSON Lines (up to 200 a request, 1 MiB), with
their password hashes, created now; 202 and the job: its counts and each refused line's reason.
Idempotent by email: a re-run skips the users that exist."""

from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import operators

MAX_BYTES = 1024 * 1024


@api_handler
def handler(request: Request) -> dict:
    return respond(operators.import_users(request.text(MAX_BYTES)), 202)
