"""POST /v1/admin/exports (operators: AWS IAM): every user in the import's format, written to the exports
bucket now; TOTP secrets only sealed to `recipientPublicKey` (JWE, ECDH-ES + A256GCM). 202 and the job."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import operators

ExportBody = compiled("ExportBody")


@api_handler
def handler(request: Request) -> dict:
    key = request.json(ExportBody).recipientPublicKey if request.event.get("body") else None
    return respond(operators.export_users(dict(key) if key is not None else None), 202)
