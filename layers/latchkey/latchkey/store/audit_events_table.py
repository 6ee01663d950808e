"""The audit-events table: one append-only item per security event, keyed (organizationId, eventId);
event ids start with their time, so a partition read backwards is newest first. The ByUser index
(userId, eventId) lists the events about one user. Items expire (TTL `expiresAt`) after the
retention the template sets; nothing here updates or deletes one."""

from __future__ import annotations

import base64
from typing import Any

from latchkey.errors import InvalidCursor
from latchkey.settings import get_settings
from latchkey.store.dynamodb import client, from_item, to_item

_BY_USER = "ByUser"


def _table() -> str:
    return get_settings().audit_events_table


def put_op(event: dict[str, Any]) -> dict:
    """The event as a transaction item, written with the change it describes."""
    return {"Put": {"TableName": _table(), "Item": to_item(event),
                    "ConditionExpression": "attribute_not_exists(eventId)"}}


def put(event: dict[str, Any]) -> None:
    """The event alone, where the change it describes is not a DynamoDB write of ours."""
    client.put_item(**put_op(event)["Put"])


def page(organization_id: str, user_id: str | None, event_type: str | None, limit: int,
         cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """One page of an organization's events (or of one user's events inside it), newest first, and
    the next page's cursor. The organization always comes from the caller: a user's events in
    another organization are filtered out, and the cursor carries only an event id."""
    names, values = {"#o": "organizationId"}, {":o": {"S": organization_id}}
    if user_id:
        params: dict[str, Any] = {"IndexName": _BY_USER, "KeyConditionExpression": "userId = :u"}
        values[":u"] = {"S": user_id}
        filters = ["#o = :o"]
    else:
        params, filters = {"KeyConditionExpression": "#o = :o"}, []
    if event_type:
        names["#t"], values[":t"] = "type", {"S": event_type}
        filters.append("#t = :t")
    if filters:
        params["FilterExpression"] = " AND ".join(filters)
    if cursor:
        start = {"organizationId": {"S": organization_id}, "eventId": {"S": _decode(cursor)}}
        params["ExclusiveStartKey"] = {**start, "userId": {"S": user_id}} if user_id else start
    result = client.query(TableName=_table(), ScanIndexForward=False, Limit=limit, ExpressionAttributeNames=names,
                          ExpressionAttributeValues=values, **params)
    last = result.get("LastEvaluatedKey")
    next_cursor = base64.urlsafe_b64encode(last["eventId"]["S"].encode()).decode() if last else None
    return [from_item(item) for item in result.get("Items", [])], next_cursor


def _decode(cursor: str) -> str:
    try:
        event_id = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (ValueError, UnicodeError):
        event_id = ""
    if not event_id.startswith("evt_") or len(event_id) > 64:
        raise InvalidCursor()
    return event_id
