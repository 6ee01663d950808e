"""The OAuth grants table: the provider's short-lived state, one item each, keyed by `grantId`:
an authorization request while the user signs in and decides (`request#<id>`), an authorization code
by its SHA-256 (`code#<hash>`; the code itself is never here), and a user's consent to an app's scopes
(`consent#<user>#<client>`). Items expire by TTL; readers check `expiresAt` themselves."""

from __future__ import annotations

from latchkey.settings import get_settings
from latchkey.store import items as declared
from latchkey.store.dynamodb import client, from_item, put, to_item, update_if


def _table() -> str:
    return get_settings().oauth_grants_table


def _get(grant_id: str) -> dict | None:
    item = client.get_item(TableName=_table(), Key={"grantId": {"S": grant_id}}, ConsistentRead=True).get("Item")
    return from_item(item) if item else None


def put_request(request_id: str, client_id: str, query: str, created_at: int, expires_at: int) -> None:
    put(TableName=_table(), Item=to_item({"grantId": declared.AUTHORIZATION_REQUEST + request_id,
                                          "clientId": client_id, "query": query, "createdAt": created_at,
                                          "expiresAt": expires_at}),
        ConditionExpression="attribute_not_exists(grantId)")


def get_request(request_id: str) -> dict | None:
    """The request's clientId, query, createdAt and expiresAt."""
    return _get(declared.AUTHORIZATION_REQUEST + request_id)


def delete_request(request_id: str) -> None:
    client.delete_item(TableName=_table(), Key={"grantId": {"S": declared.AUTHORIZATION_REQUEST + request_id}})


def put_code(code_hash: str, values: dict) -> None:
    put(TableName=_table(), Item=to_item({"grantId": declared.AUTHORIZATION_CODE + code_hash, **values}),
        ConditionExpression="attribute_not_exists(grantId)")


def get_consent(user_id: str, client_id: str) -> tuple[str, ...]:
    """The scopes the user consented to for the app (none: never asked, or refused)."""
    found = _get(f"{declared.CONSENT}{user_id}#{client_id}")
    return tuple(found.get("scopes", ())) if found else ()


def put_consent(user_id: str, client_id: str, scopes: tuple[str, ...], now: int) -> None:
    put(TableName=_table(), Item=to_item({"grantId": f"{declared.CONSENT}{user_id}#{client_id}",
                                          "clientId": client_id, "userId": user_id, "scopes": list(scopes),
                                          "createdAt": now}))


def spend_code(code_hash: str, client_id: str, now: int) -> dict | None:
    """The code's values, spent by this call: only if it exists, is the client's, unexpired and unused
    (of any number of racing redemptions one wins); None otherwise."""
    grant_id = declared.AUTHORIZATION_CODE + code_hash
    found = _get(grant_id)
    if found is None or found.get("clientId") != client_id or found.get("usedAt") or now >= found["expiresAt"]:
        return None
    spent = update_if(TableName=_table(), Key={"grantId": {"S": grant_id}}, UpdateExpression="SET usedAt = :now",
                      ConditionExpression="attribute_not_exists(usedAt) AND clientId = :client AND expiresAt > :now",
                      ExpressionAttributeValues={":now": {"N": str(now)}, ":client": {"S": client_id}})
    return found if spent else None
