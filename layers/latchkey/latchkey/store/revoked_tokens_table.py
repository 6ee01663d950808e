"""The revoked-tokens table: individual tokens taken out of use before they expire, keyed by `jti`,
each kept (TTL) until the token would have expired anyway."""

from __future__ import annotations

from latchkey.settings import get_settings
from latchkey.store.dynamodb import to_item


def put_op(token_id: str, expires_at: int, reason: str) -> dict:
    """The transaction item that records the revocation."""
    return {
        "Put": {
            "TableName": get_settings().revoked_tokens_table,
            "Item": to_item({"tokenId": token_id, "expiresAt": expires_at, "reason": reason}),
        }
    }
