"""The sessions table: a user's refresh families, keyed (userId, sessionId), expiring (TTL) at the
session's absolute end. Items past `expiresAt` are treated as absent: TTL deletes lazily."""

from __future__ import annotations

from typing import NamedTuple

from latchkey.rules.records import Session
from latchkey.settings import get_settings
from latchkey.store.dynamodb import (
    TransactionCancelled,
    client,
    from_item,
    labelled,
    query_all,
    to_item,
    transact,
    update_if,
)

_TRANSACTION_ITEMS = 100  # DynamoDB's limit for one TransactWriteItems
_LIVE = "attribute_exists(sessionId) AND attribute_not_exists(revokedAt) AND expiresAt > :now"


def _table() -> str:
    return get_settings().sessions_table


def _key(user_id: str, session_id: str) -> dict:
    return {"userId": {"S": user_id}, "sessionId": {"S": session_id}}


def create_op(session: Session) -> dict:
    """The new session as a transaction item (sign-in writes it together with other changes)."""
    return {"Put": {"TableName": _table(), "Item": to_item(_attributes(session)),
                    "ConditionExpression": "attribute_not_exists(sessionId)"}}


def create(session: Session) -> None:
    client.put_item(**create_op(session)["Put"])


def get(user_id: str, session_id: str, now: int) -> Session | None:
    """The live session, or None if it is unknown, revoked or past its end."""
    item = client.get_item(TableName=_table(), Key=_key(user_id, session_id), ConsistentRead=True).get("Item")
    session = _session(from_item(item)) if item else None
    return session if session and session.is_live(now) else None


class Rotation(NamedTuple):
    rotated: bool
    session: Session | None  # after the rotation; or, when refused, as it stood (None if absent)


def rotate(user_id: str, session_id: str, presented_token_id: str, new_token_id: str, now: int,
           source_ip: str) -> Rotation:
    """Advances the generation if `presented_token_id` is the current one and the session is live:
    one conditional write, so of any number of racing refreshes exactly one rotates. `source_ip` is
    where it was used from, now."""
    try:
        result = client.update_item(
            TableName=_table(),
            Key=_key(user_id, session_id),
            ConditionExpression=f"{_LIVE} AND tokenId = :presented",
            UpdateExpression="SET generation = generation + :one, previousTokenId = tokenId, tokenId = :new, "
                             "issuedAt = :now, rotatedAt = :now, lastUsedAt = :now, lastIp = :ip",
            ExpressionAttributeValues={":now": {"N": str(now)}, ":presented": {"S": presented_token_id},
                                       ":new": {"S": new_token_id}, ":one": {"N": "1"}, ":ip": {"S": source_ip}},
            ReturnValues="ALL_NEW",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
        return Rotation(True, _session(from_item(result["Attributes"])))
    except client.exceptions.ConditionalCheckFailedException as refused:
        item = refused.response.get("Item")
        return Rotation(False, _session(from_item(item)) if item else None)


def reauthenticate_op(session: Session, new_token_id: str, amr: list[str], now: int) -> dict:
    """Step-up, as a transaction item written with what the proof spends (a code, a passkey's
    challenge): the session's authentication is now, and its refresh token rotates (the one the caller
    held becomes the previous one, under the grace rule). It holds only while the session is live and
    unrotated since `session` was read; `reauthenticated` is the session it leaves."""
    return {"Update": {
        "TableName": _table(), "Key": _key(session.user_id, session.id),
        "ConditionExpression": f"{_LIVE} AND tokenId = :old",
        "UpdateExpression": "SET generation = generation + :one, previousTokenId = tokenId, tokenId = :new, "
                            "issuedAt = :now, rotatedAt = :now, lastUsedAt = :now, authTime = :now, amr = :amr",
        "ExpressionAttributeValues": {":now": {"N": str(now)}, ":new": {"S": new_token_id}, ":one": {"N": "1"},
                                      ":old": {"S": session.token_id}, ":amr": {"L": [{"S": m} for m in amr]}}}}


def reauthenticated(session: Session, new_token_id: str, amr: list[str], now: int) -> Session:
    """The session `reauthenticate_op` writes."""
    return session._replace(generation=session.generation + 1, previous_token_id=session.token_id,
                            token_id=new_token_id, issued_at=now, rotated_at=now, last_used_at=now, auth_time=now,
                            amr=tuple(amr))


def revoke(user_id: str, session_id: str, reason: str, now: int, also: list[dict] | tuple = ()) -> bool:
    """Ends a live session; False if there was no live session to end (and `also` is not written)."""
    return update_if(also=also, TableName=_table(), **_revoke_spec(user_id, session_id, reason, now))


def revoke_all(user_id: str, session_ids: list[str], reason: str, now: int) -> int:
    """Ends these sessions in the order given, up to 100 to a transaction: each transaction all or
    nothing, a session that is no longer live simply skipped. Returns how many it ended."""
    ended = 0
    for start in range(0, len(session_ids), _TRANSACTION_ITEMS):
        pending = session_ids[start:start + _TRANSACTION_ITEMS]
        while pending:
            try:
                transact([labelled(session_id, revoke_op(user_id, session_id, reason, now))
                          for session_id in pending])
            except TransactionCancelled as cancelled:
                # Those refused by their condition ended meanwhile (expired, or revoked by another
                # request): nothing left to do for them. The rest are written again, without them.
                live = [s for s in pending if not cancelled.refused(s)]
                if len(live) == len(pending):
                    raise
                pending = live
                continue
            ended += len(pending)
            break
    return ended


def revoke_op(user_id: str, session_id: str, reason: str, now: int) -> dict:
    """The same revocation as a transaction item."""
    return {"Update": {"TableName": _table(), **_revoke_spec(user_id, session_id, reason, now)}}


def _revoke_spec(user_id: str, session_id: str, reason: str, now: int) -> dict:
    return {
        "Key": _key(user_id, session_id),
        "ConditionExpression": _LIVE,
        "UpdateExpression": "SET revokedAt = :now, revokedReason = :reason",
        "ExpressionAttributeValues": {":now": {"N": str(now)}, ":reason": {"S": reason}},
    }


def set_role(user_id: str, session_id: str, role: str, now: int) -> bool:
    """The live session acts with `role` from its next request on (the authorizer reads the session's
    role, not the token's claim); False if it is no longer live."""
    return update_if(TableName=_table(), Key=_key(user_id, session_id), ConditionExpression=_LIVE,
                     UpdateExpression="SET #role = :role", ExpressionAttributeNames={"#role": "role"},
                     ExpressionAttributeValues={":now": {"N": str(now)}, ":role": {"S": role}})


def list_for_user(user_id: str, now: int) -> list[Session]:
    """The user's live sessions, newest first (strongly consistent: one partition)."""
    sessions = [_session(v) for v in query_all(
        TableName=_table(), KeyConditionExpression="userId = :user",
        ExpressionAttributeValues={":user": {"S": user_id}}, ConsistentRead=True)]
    return sorted((s for s in sessions if s.is_live(now)), key=lambda s: s.created_at, reverse=True)


def _attributes(session: Session) -> dict:
    return {
        "userId": session.user_id,
        "sessionId": session.id,
        "organizationId": session.organization_id,
        "role": session.role,
        "generation": session.generation,
        "tokenId": session.token_id,
        "issuedAt": session.issued_at,
        "previousTokenId": session.previous_token_id or None,
        "rotatedAt": session.rotated_at,
        "createdAt": session.created_at,
        "lastUsedAt": session.last_used_at,
        "expiresAt": session.expires_at,
        "userAgent": session.user_agent,
        "sourceIp": session.source_ip,
        "lastIp": session.last_ip or session.source_ip,
        "authTime": session.auth_time,
        "amr": list(session.amr),
        "clientId": session.client_id or None,
        "scope": session.scope or None,
        "browserSessionId": session.browser_session_id or None,
    }


def _session(values: dict) -> Session:
    return Session(
        id=values["sessionId"],
        user_id=values["userId"],
        organization_id=values["organizationId"],
        role=values["role"],
        generation=values["generation"],
        token_id=values["tokenId"],
        issued_at=values["issuedAt"],
        previous_token_id=values.get("previousTokenId", ""),
        rotated_at=values["rotatedAt"],
        created_at=values["createdAt"],
        last_used_at=values["lastUsedAt"],
        expires_at=values["expiresAt"],
        user_agent=values.get("userAgent", ""),
        source_ip=values.get("sourceIp", ""),
        last_ip=values.get("lastIp", values.get("sourceIp", "")),
        revoked_at=values.get("revokedAt", 0),
        revoked_reason=values.get("revokedReason", ""),
        auth_time=values.get("authTime", values["createdAt"]),
        amr=tuple(values.get("amr", ("pwd",))),
        client_id=values.get("clientId", ""),
        scope=values.get("scope", ""),
        browser_session_id=values.get("browserSessionId", ""),
    )
