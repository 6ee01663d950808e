"""The API keys table: one item per key, keyed by the key's SHA-256 (`keyHash`); the ByOrganization
index (organizationId, keyId) lists and finds an organization's keys. The key itself is never here."""

from __future__ import annotations

from latchkey.rules.records import ApiKey
from latchkey.settings import get_settings
from latchkey.store.dynamodb import client, from_item, put, query_all, to_item, update_if

_INDEX = "ByOrganization"
_KEEP_AFTER_END = 90 * 24 * 3600  # revoked and expired keys stay listed this long, then TTL purges them


def _table() -> str:
    return get_settings().api_keys_table


def create(key: ApiKey, also: list[dict] | tuple = ()) -> None:
    put(also=also, TableName=_table(), Item=to_item(_attributes(key)),
        ConditionExpression="attribute_not_exists(keyHash)")


def get_by_hash(key_hash: str) -> ApiKey | None:
    """The authorizer's one read for a key (strongly consistent: a revocation counts at once)."""
    item = client.get_item(TableName=_table(), Key={"keyHash": {"S": key_hash}}, ConsistentRead=True).get("Item")
    return _api_key(from_item(item)) if item else None


def list_for_organization(organization_id: str) -> list[ApiKey]:
    values = query_all(TableName=_table(), IndexName=_INDEX, KeyConditionExpression="organizationId = :org",
                       ExpressionAttributeValues={":org": {"S": organization_id}})
    return [_api_key(v) for v in values]


def find_in_organization(organization_id: str, key_id: str) -> ApiKey | None:
    page = client.query(
        TableName=_table(), IndexName=_INDEX,
        KeyConditionExpression="organizationId = :org AND keyId = :id",
        ExpressionAttributeValues={":org": {"S": organization_id}, ":id": {"S": key_id}},
    )
    items = page.get("Items", [])
    return _api_key(from_item(items[0])) if items else None


def revoke(key: ApiKey, now: int, also: list[dict] | tuple = ()) -> bool:
    """Revokes a live key of its organization; False if it was already revoked."""
    return update_if(
        also=also, TableName=_table(),
        Key={"keyHash": {"S": key.key_hash}},
        ConditionExpression="organizationId = :org AND attribute_not_exists(revokedAt)",
        UpdateExpression="SET revokedAt = :now, purgeAt = :purge",
        ExpressionAttributeValues={":org": {"S": key.organization_id}, ":now": {"N": str(now)},
                                   ":purge": {"N": str(now + _KEEP_AFTER_END)}},
    )


def touch(key_hash: str, now: int, every: int, also: list[dict] | tuple = ()) -> None:
    """Records use at most once per `every` seconds per key, whichever container gets there first."""
    update_if(  # refused: another request recorded it within the interval
        also=also, TableName=_table(),
        Key={"keyHash": {"S": key_hash}},
        ConditionExpression="attribute_exists(keyHash) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :due)",
        UpdateExpression="SET lastUsedAt = :now",
        ExpressionAttributeValues={":now": {"N": str(now)}, ":due": {"N": str(now - every)}},
    )


def _attributes(key: ApiKey) -> dict:
    return {
        "keyHash": key.key_hash,
        "keyId": key.id,
        "organizationId": key.organization_id,
        "name": key.name,
        "scopes": list(key.scopes),
        "role": key.role,
        "createdBy": key.created_by,
        "createdAt": key.created_at,
        "prefix": key.prefix,
        "last4": key.last4,
        "expiresAt": key.expires_at or None,
        "purgeAt": key.expires_at + _KEEP_AFTER_END if key.expires_at else None,
    }


def _api_key(values: dict) -> ApiKey:
    return ApiKey(
        id=values["keyId"],
        key_hash=values["keyHash"],
        organization_id=values["organizationId"],
        name=values["name"],
        scopes=tuple(values["scopes"]),
        role=values["role"],
        created_by=values["createdBy"],
        created_at=values["createdAt"],
        prefix=values["prefix"],
        last4=values["last4"],
        expires_at=values.get("expiresAt", 0),
        revoked_at=values.get("revokedAt", 0),
        last_used_at=values.get("lastUsedAt", 0),
    )
