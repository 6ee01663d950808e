"""POST /v1/api-keys: a signed-in user creates a scoped key for their organization; shown once."""

from typing import Annotated

from msgspec import Meta

from latchkey.edge.bodies import Body, Name, Timestamp
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import api_keys


class CreateApiKeyBody(Body):
    name: Name
    scopes: Annotated[list[Annotated[str, Meta(max_length=64)]], Meta(max_length=16)]
    expiresAt: Timestamp | None = None


@api_handler
def handler(request: Request) -> dict:
    body = request.json(CreateApiKeyBody)
    expires_at = int(body.expiresAt.timestamp()) if body.expiresAt else None
    key, secret = api_keys.create(request.principal, body.name.strip(), body.scopes, expires_at)
    public = key.public()
    return respond({"id": key.id, "name": key.name, "key": secret, "scopes": public["scopes"],
                    "prefix": key.prefix, "last4": key.last4, "createdAt": public["createdAt"],
                    "expiresAt": public["expiresAt"]}, status=201)
