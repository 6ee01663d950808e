"""POST /v1/admin/imports (operators: AWS IAM): users in JSON Lines (up to 200 a request, 1 MiB), with
their password hashes, created now; 202 and the job: its counts and each refused line's reason. Or, with
`Content-Type: application/json` and `{"source": {"bucket", "key"}}`, a file of any size in the imports
bucket, read by the import worker: 202 and the job, queued. Idempotent by email: a re-run skips the users
that exist."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import import_files, operators

MAX_BYTES = 1024 * 1024
ImportFromS3Body = compiled("ImportFromS3Body")


@api_handler
def handler(request: Request) -> dict:
    if request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/json":
        source = request.json(ImportFromS3Body).source
        return respond(import_files.start(source["bucket"], source["key"]), 202)
    return respond(operators.import_users(request.text(MAX_BYTES)), 202)
