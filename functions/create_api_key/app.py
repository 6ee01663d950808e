"""POST /v1/api-keys: a signed-in user creates a scoped key for their organization; shown once. With
`Idempotency-Key`, a retry of the same request answers the same key once more (to the same user only)
instead of creating a second."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, idempotent, respond
from latchkey.usecases import api_keys

CreateApiKeyBody = compiled("CreateApiKeyBody")


@api_handler
def handler(request: Request) -> dict:
    body = request.json(CreateApiKeyBody)
    expires_at = int(body.expiresAt.timestamp()) if body.expiresAt else None

    def create() -> dict:
        key, secret = api_keys.create(request.principal, body.name.strip(), body.scopes, expires_at)
        return respond({**key.public(), "key": secret}, status=201)

    return idempotent(request, body, create)
