"""The apps table: the OAuth apps organizations register, one item each, keyed by `clientId` (the token
endpoint finds its client with one strongly consistent read); the ByOrganization index lists an
organization's apps, never their secret's hash. The secret itself is never here."""

from __future__ import annotations

from latchkey.rules.records import App
from latchkey.settings import get_settings
from latchkey.store.dynamodb import client, from_item, put, query_all, to_item, transact, update_if

_INDEX = "ByOrganization"


def _table() -> str:
    return get_settings().apps_table


def _key(client_id: str) -> dict:
    return {"clientId": {"S": client_id}}


def create(app: App, also: list[dict] | tuple = ()) -> None:
    put(also=also, TableName=_table(), Item=to_item(_attributes(app)),
        ConditionExpression="attribute_not_exists(clientId)")


def get(client_id: str) -> App | None:
    item = client.get_item(TableName=_table(), Key=_key(client_id), ConsistentRead=True).get("Item")
    return _app(from_item(item)) if item else None


def list_for_organization(organization_id: str) -> list[App]:
    values = query_all(TableName=_table(), IndexName=_INDEX, KeyConditionExpression="organizationId = :org",
                       ExpressionAttributeValues={":org": {"S": organization_id}})
    return [_app(v) for v in values]


def update(app: App, changes: dict, also: list[dict] | tuple = ()) -> bool:
    """Sets `changes` (record field -> value) on the app, only while it is still its organization's;
    False if it is gone."""
    names = {f"#{field}": _ATTRIBUTE[field] for field in changes}
    values = {f":{field}": value for field, value in to_item(
        {field: list(v) if isinstance(v, tuple) else v for field, v in changes.items()}).items()}
    return update_if(also=also, TableName=_table(), Key=_key(app.id),
                     ConditionExpression="organizationId = :org",
                     UpdateExpression="SET " + ", ".join(f"#{field} = :{field}" for field in changes),
                     ExpressionAttributeNames=names,
                     ExpressionAttributeValues={**values, ":org": {"S": app.organization_id}})


def void_secret(app: App, now: int, also: list[dict] | tuple = ()) -> bool:
    """The confidential app's secret removed (no client authenticates as it, no machine token of it
    passes) until a rotation sets a new one; False if it had none (or the app is gone)."""
    return update_if(also=also, TableName=_table(), Key=_key(app.id),
                     ConditionExpression="organizationId = :org AND attribute_exists(secretHash)",
                     UpdateExpression="REMOVE secretHash SET secretRotatedAt = :now",
                     ExpressionAttributeValues={":org": {"S": app.organization_id}, ":now": {"N": str(now)}})


def delete_ops(app: App) -> list[dict]:
    """The app deleted, only while it is still its organization's, as a transaction item."""
    return [{"Delete": {"TableName": _table(), "Key": _key(app.id), "ConditionExpression": "organizationId = :org",
                        "ExpressionAttributeValues": {":org": {"S": app.organization_id}}}}]


def delete(app: App, also: list[dict] | tuple = ()) -> None:
    transact([*delete_ops(app), *also])


_ATTRIBUTE = {"name": "name", "redirect_uris": "redirectUris", "post_logout_redirect_uris": "postLogoutRedirectUris",
              "scopes": "scopes", "first_party": "firstParty", "secret_hash": "secretHash",
              "secret_rotated_at": "secretRotatedAt"}


def _attributes(app: App) -> dict:
    return {
        "clientId": app.id,
        "organizationId": app.organization_id,
        "name": app.name,
        "type": app.type,
        "redirectUris": list(app.redirect_uris),
        "postLogoutRedirectUris": list(app.post_logout_redirect_uris) or None,
        "scopes": list(app.scopes),
        "firstParty": app.first_party,
        "createdBy": app.created_by,
        "createdAt": app.created_at,
        "secretHash": app.secret_hash or None,
        "secretRotatedAt": app.secret_rotated_at or None,
    }


def _app(values: dict) -> App:
    return App(
        id=values["clientId"],
        organization_id=values["organizationId"],
        name=values["name"],
        type=values["type"],
        redirect_uris=tuple(values.get("redirectUris", ())),
        post_logout_redirect_uris=tuple(values.get("postLogoutRedirectUris", ())),
        scopes=tuple(values.get("scopes", ())),
        first_party=bool(values.get("firstParty", False)),
        created_by=values["createdBy"],
        created_at=values["createdAt"],
        secret_hash=values.get("secretHash", ""),
        secret_rotated_at=values.get("secretRotatedAt", 0),
    )
