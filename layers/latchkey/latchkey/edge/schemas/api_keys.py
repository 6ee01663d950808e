"""API keys (personal access tokens): the creation body and the key as listed or just created."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from latchkey.edge.schemas.base import Body, Instant, Name, Timestamp, View


class CreateApiKeyBody(Body):
    name: Name
    scopes: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=16)]
    expiresAt: Timestamp | None = None


class ApiKeyView(View):
    """A key as listed: never its secret."""

    id: str
    name: str
    scopes: list[str]
    prefix: str
    last4: str
    createdBy: str
    createdAt: Instant
    lastUsedAt: Instant | None
    expiresAt: Instant | None
    revokedAt: Instant | None


class NewApiKeyView(ApiKeyView):
    """A key just created: the listed fields and `key`, the secret, in this response only."""

    key: str


class ApiKeyListView(View):
    apiKeys: list[ApiKeyView]
