"""The rate-limits table: counters with a TTL (`expiresAt`), treated as absent once past it.

- `rate#<action>#<source ip>#<window start>`: requests from one address in one fixed window (or of one
  email from one address: `signin-source`, the lockout's per-source limit; or to one email:
  `forgot-password-email`);
- `lockout#<normalized email>`: sign-in attempts since the last success, counted before the secret
  is checked, and `lockedUntil`; kept the same whether or not the email has an account;
- `pending#<jti>`: code attempts on one pending two-factor token, and `usedAt` once it signed in.
"""

from __future__ import annotations

from typing import NamedTuple

from latchkey.settings import get_settings
from latchkey.store import items as declared
from latchkey.store.dynamodb import client, from_item, update_if


def _table() -> str:
    return get_settings().rate_limits_table


def _key(counter: str) -> dict:
    return {"counterId": {"S": counter}}


def hit(action: str, source_ip: str, window: int, now: int) -> tuple[int, int]:
    """Counts one request; returns (requests in this window so far, when the window ends). `source_ip`
    may be any key of the caller: an address, or an email and an address."""
    start = now - now % window
    end = start + window
    result = client.update_item(
        TableName=_table(),
        Key=_key(f"{declared.RATE}{action}#{source_ip}#{start}"),
        UpdateExpression="ADD hits :one SET expiresAt = if_not_exists(expiresAt, :end)",
        ExpressionAttributeValues={":one": {"N": "1"}, ":end": {"N": str(end)}},
        ReturnValues="UPDATED_NEW",
    )
    return int(result["Attributes"]["hits"]["N"]), end


class Attempt(NamedTuple):
    """A sign-in attempt counted against an email before its secret is checked."""

    allowed: bool  # False: the email is locked, check nothing
    count: int = 0  # attempts since the last success, this one included
    retry_after: int = 0
    locked_now: bool = False  # this attempt is the one that locked the email


def begin_attempt(email_key: str, now: int, threshold: int, lock_seconds: int) -> Attempt:
    """Counts an attempt (atomically, ADD) before the password or code is checked, so that racing
    requests cannot all be checked: past `threshold`, the email locks for `lock_seconds` and the
    attempt is refused unchecked. Counts are forgotten `lock_seconds` after the last attempt."""
    key = _key(f"{declared.LOCKOUT}{email_key}")
    values = {":one": {"N": "1"}, ":now": {"N": str(now)}, ":exp": {"N": str(now + lock_seconds)}}
    for _ in range(3):
        try:  # none, or a stale one (past its TTL, which DynamoDB deletes late): start at 1. Tried
            # first: it is the common case (every sign-in that follows a success).
            client.update_item(
                TableName=_table(), Key=key, ConditionExpression="attribute_not_exists(counterId) OR expiresAt <= :now",
                UpdateExpression="SET failures = :one, expiresAt = :exp REMOVE lockedUntil",
                ExpressionAttributeValues=values)
            count = 1
            break
        except client.exceptions.ConditionalCheckFailedException:
            pass
        try:  # a live, unlocked counter: one more
            counted = client.update_item(
                TableName=_table(), Key=key,
                ConditionExpression="expiresAt > :now AND attribute_not_exists(lockedUntil)",
                UpdateExpression="ADD failures :one SET expiresAt = :exp", ExpressionAttributeValues=values,
                ReturnValues="UPDATED_NEW", ReturnValuesOnConditionCheckFailure="ALL_OLD")
            count = int(counted["Attributes"]["failures"]["N"])
            break
        except client.exceptions.ConditionalCheckFailedException as refused:
            old = from_item(refused.response["Item"]) if refused.response.get("Item") else {}
            if old and old["expiresAt"] > now and old.get("lockedUntil", 0) > now:
                return Attempt(False, retry_after=old["lockedUntil"] - now)
    else:
        raise RuntimeError("lockout counter kept changing under us")
    if count > threshold:
        return Attempt(False, count, retry_after=lock_seconds, locked_now=lock(email_key, now, lock_seconds))
    return Attempt(True, count)


def lock(email_key: str, now: int, lock_seconds: int, also: list[dict] | tuple = ()) -> bool:
    """Locks the email; True only for the request that locked it (once per lock): False if a racing
    attempt locked it first, and then `also` is not written."""
    return update_if(
        also=also, TableName=_table(), Key=_key(f"{declared.LOCKOUT}{email_key}"),
        ConditionExpression="attribute_not_exists(lockedUntil)",
        UpdateExpression="SET lockedUntil = :until, expiresAt = :until",
        ExpressionAttributeValues={":until": {"N": str(now + lock_seconds)}})


def attempts(email_key: str, now: int) -> tuple[int, int]:
    """(attempts counted, locked until) as they stand; (0, 0) when none are remembered."""
    item = client.get_item(TableName=_table(), Key=_key(f"{declared.LOCKOUT}{email_key}"),
                           ConsistentRead=True).get("Item")
    values = from_item(item) if item else {}
    if not values or values["expiresAt"] <= now:
        return 0, 0
    return values.get("failures", 0), values.get("lockedUntil", 0)


def release_attempt(email_key: str) -> None:
    """An attempt whose secret was right but that is not a sign-in yet (a second factor is due): it
    no longer counts, but the failures before it still do."""
    update_if(TableName=_table(), Key=_key(f"{declared.LOCKOUT}{email_key}"), ConditionExpression="failures > :zero",
              UpdateExpression="ADD failures :minus",
              ExpressionAttributeValues={":zero": {"N": "0"}, ":minus": {"N": "-1"}})


def forget_hits_op(action: str, source_ip: str, window: int, now: int) -> dict:
    """Forgets this window's count of `hit(action, source_ip, ...)`, as a transaction item."""
    return {"Delete": {"TableName": _table(), "Key": _key(f"{declared.RATE}{action}#{source_ip}#{now - now % window}")}}


def release_hit(action: str, source_ip: str, window: int, now: int) -> None:
    """Takes back one `hit` (a request that turned out not to count)."""
    update_if(TableName=_table(), Key=_key(f"{declared.RATE}{action}#{source_ip}#{now - now % window}"),
              ConditionExpression="hits > :zero", UpdateExpression="ADD hits :minus",
              ExpressionAttributeValues={":zero": {"N": "0"}, ":minus": {"N": "-1"}})


def clear_attempts_op(email_key: str) -> dict:
    """A success: the count starts again (a transaction item, written with the new session)."""
    return {"Delete": {"TableName": _table(), "Key": _key(f"{declared.LOCKOUT}{email_key}")}}


class PendingUse(NamedTuple):
    attempts: int
    used: bool


def pending_attempt(token_id: str, expires_at: int) -> PendingUse:
    """Counts one code attempt on a pending two-factor token."""
    result = client.update_item(
        TableName=_table(), Key=_key(f"{declared.PENDING}{token_id}"),
        UpdateExpression="ADD attempts :one SET expiresAt = :exp",
        ExpressionAttributeValues={":one": {"N": "1"}, ":exp": {"N": str(expires_at)}},
        ReturnValues="ALL_NEW",
    )
    values = from_item(result["Attributes"])
    return PendingUse(values["attempts"], "usedAt" in values)


def mark_pending_used_op(token_id: str, now: int) -> dict:
    """Spends a pending token, as a transaction item (written with the session it signs in); its
    condition refuses it if another request already did."""
    return {"Update": {"TableName": _table(), "Key": _key(f"{declared.PENDING}{token_id}"),
                       "ConditionExpression": "attribute_not_exists(usedAt)",
                       "UpdateExpression": "SET usedAt = :now", "ExpressionAttributeValues": {":now": {"N": str(now)}}}}


# `challenge#<challenge>`: a passkey challenge, its purpose and what it is bound to (a session, a
# pending token, or an anonymous sign-in), until `expiresAt`.


def put_challenge(challenge: str, purpose: str, bound_to: str, expires_at: int) -> None:
    client.put_item(TableName=_table(), Item={
        "counterId": {"S": f"{declared.CHALLENGE}{challenge}"}, "purpose": {"S": purpose}, "boundTo": {"S": bound_to},
        "expiresAt": {"N": str(expires_at)}})


def challenge_live(challenge: str, purpose: str, bound_to: str, now: int) -> bool:
    """Whether the challenge was issued for `purpose` and `bound_to`, is unspent and in time (one read)."""
    item = client.get_item(TableName=_table(), Key=_key(f"{declared.CHALLENGE}{challenge}"),
                           ConsistentRead=True).get("Item")
    values = from_item(item) if item else {}
    return (values.get("purpose") == purpose and values.get("boundTo") == bound_to
            and values.get("expiresAt", 0) > now)


def take_challenge_op(challenge: str, purpose: str, bound_to: str, now: int) -> dict:
    """Spends the challenge, as a transaction item written with what it allows: its condition refuses
    an unknown, spent, expired or elsewhere-bound challenge. Written with the change, a 503 leaves it
    unspent, so the same request can be sent again."""
    return {"Delete": {
        "TableName": _table(), "Key": _key(f"{declared.CHALLENGE}{challenge}"),
        "ConditionExpression": "purpose = :purpose AND boundTo = :bound AND expiresAt > :now",
        "ExpressionAttributeValues": {":purpose": {"S": purpose}, ":bound": {"S": bound_to}, ":now": {"N": str(now)}}}}


# `oauth#<state's hash>`: a started federated sign-in (latchkey.usecases.federation), bound to the
# browser that started it (its cookie's hash), until `expiresAt` (10 minutes; the table's TTL sweeps it).


class OAuthState(NamedTuple):
    provider: str
    nonce: str
    verifier: str
    return_to: str
    link_user_id: str  # "" for a sign-in; a user's id when they are linking this provider


def put_oauth_state(state_hash: str, browser_hash: str, held: OAuthState, expires_at: int) -> None:
    client.put_item(TableName=_table(), Item={
        "counterId": {"S": f"{declared.OAUTH_STATE}{state_hash}"}, "provider": {"S": held.provider},
        "browser": {"S": browser_hash}, "nonce": {"S": held.nonce}, "verifier": {"S": held.verifier},
        "returnTo": {"S": held.return_to}, "linkUserId": {"S": held.link_user_id},
        "expiresAt": {"N": str(expires_at)}})


def take_oauth_state(state_hash: str, browser_hash: str, now: int) -> OAuthState | None:
    """Spends the state, once (one DeleteItem, its values returned): None if it is unknown, spent,
    expired, or was issued to another browser (then it is left for its own browser)."""
    try:
        old = client.delete_item(
            TableName=_table(), Key=_key(f"{declared.OAUTH_STATE}{state_hash}"), ReturnValues="ALL_OLD",
            ConditionExpression="browser = :browser AND expiresAt > :now",
            ExpressionAttributeValues={":browser": {"S": browser_hash}, ":now": {"N": str(now)}})
    except client.exceptions.ConditionalCheckFailedException:
        return None
    values = from_item(old["Attributes"])
    return OAuthState(values["provider"], values["nonce"], values["verifier"], values["returnTo"],
                      values["linkUserId"])
