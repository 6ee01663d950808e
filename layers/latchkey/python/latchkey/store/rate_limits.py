"""The rate-limits table: counters with a TTL (`expiresAt`), treated as absent once past it.

- `rate#<action>#<source ip>#<window start>`: requests from one address in one fixed window;
- `lockout#<normalized email>`: consecutive failed sign-ins and `lockedUntil`, kept for the same
  whether or not the email has an account;
- `pending#<jti>`: code attempts on one pending two-factor token, and `usedAt` once it signed in.
"""

from __future__ import annotations

from dataclasses import dataclass

from latchkey.settings import get_settings
from latchkey.store.dynamodb import client, from_item


def _table() -> str:
    return get_settings().rate_limits_table


def _key(counter: str) -> dict:
    return {"counterId": {"S": counter}}


def hit(action: str, source_ip: str, window: int, now: int) -> tuple[int, int]:
    """Counts one request; returns (requests in this window so far, when the window ends)."""
    start = now - now % window
    end = start + window
    result = client.update_item(
        TableName=_table(),
        Key=_key(f"rate#{action}#{source_ip}#{start}"),
        UpdateExpression="ADD hits :one SET expiresAt = if_not_exists(expiresAt, :end)",
        ExpressionAttributeValues={":one": {"N": "1"}, ":end": {"N": str(end)}},
        ReturnValues="UPDATED_NEW",
    )
    return int(result["Attributes"]["hits"]["N"]), end


@dataclass(frozen=True)
class Lockout:
    failures: int = 0
    locked_until: int = 0

    def locked(self, now: int) -> bool:
        return self.locked_until > now


def lockout_key(email_key: str) -> tuple[str, dict]:
    """(table, key) of an email's lockout counter, for a batched read."""
    return _table(), _key(f"lockout#{email_key}")


def lockout_from(item: dict | None, now: int) -> Lockout:
    values = from_item(item) if item else {}
    if not values or values["expiresAt"] <= now:
        return Lockout()
    return Lockout(values.get("failures", 0), values.get("lockedUntil", 0))


def get_lockout(email_key: str, now: int) -> Lockout:
    table, key = lockout_key(email_key)
    return lockout_from(client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item"), now)


def record_failure(email_key: str, now: int, threshold: int, lock_seconds: int) -> Lockout:
    """One more failed sign-in, counted atomically (ADD); the `threshold`-th locks the email for
    `lock_seconds`. Failures are forgotten `lock_seconds` after the last one."""
    key = _key(f"lockout#{email_key}")
    values = {":one": {"N": "1"}, ":now": {"N": str(now)}, ":exp": {"N": str(now + lock_seconds)}}
    counted = None
    for _ in range(3):  # a live counter gets ADD; a missing or stale one starts again at 1
        try:
            counted = client.update_item(
                TableName=_table(), Key=key, ConditionExpression="expiresAt > :now",
                UpdateExpression="ADD failures :one SET expiresAt = :exp",
                ExpressionAttributeValues=values, ReturnValues="ALL_NEW")
            break
        except client.exceptions.ConditionalCheckFailedException:
            pass
        try:
            counted = client.update_item(
                TableName=_table(), Key=key, ConditionExpression="attribute_not_exists(counterId) OR expiresAt <= :now",
                UpdateExpression="SET failures = :one, expiresAt = :exp REMOVE lockedUntil",
                ExpressionAttributeValues=values, ReturnValues="ALL_NEW")
            break
        except client.exceptions.ConditionalCheckFailedException:
            pass
    if counted is None:
        raise RuntimeError("lockout counter kept changing under us")
    lockout = lockout_from(counted["Attributes"], now)
    if lockout.failures >= threshold and not lockout.locked(now):
        until = now + lock_seconds
        try:
            client.update_item(
                TableName=_table(), Key=key,
                ConditionExpression="attribute_not_exists(lockedUntil) OR lockedUntil <= :now",
                UpdateExpression="SET lockedUntil = :until, expiresAt = :until",
                ExpressionAttributeValues={":now": {"N": str(now)}, ":until": {"N": str(until)}})
        except client.exceptions.ConditionalCheckFailedException:
            pass  # a racing failure locked it first
        return Lockout(lockout.failures, until)
    return lockout


def clear_failures(email_key: str) -> None:
    client.delete_item(TableName=_table(), Key=_key(f"lockout#{email_key}"))


@dataclass(frozen=True)
class PendingUse:
    attempts: int
    used: bool


def pending_attempt(token_id: str, expires_at: int) -> PendingUse:
    """Counts one code attempt on a pending two-factor token."""
    result = client.update_item(
        TableName=_table(), Key=_key(f"pending#{token_id}"),
        UpdateExpression="ADD attempts :one SET expiresAt = :exp",
        ExpressionAttributeValues={":one": {"N": "1"}, ":exp": {"N": str(expires_at)}},
        ReturnValues="ALL_NEW",
    )
    values = from_item(result["Attributes"])
    return PendingUse(values["attempts"], "usedAt" in values)


def mark_pending_used(token_id: str, now: int) -> bool:
    """Spends a pending token; False if another request already did."""
    try:
        client.update_item(
            TableName=_table(), Key=_key(f"pending#{token_id}"), ConditionExpression="attribute_not_exists(usedAt)",
            UpdateExpression="SET usedAt = :now", ExpressionAttributeValues={":now": {"N": str(now)}})
        return True
    except client.exceptions.ConditionalCheckFailedException:
        return False
