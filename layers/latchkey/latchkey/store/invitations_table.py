"""The invitations table: invitations to join an organization, keyed by `invitationId` (an accept finds
its invitation with one strongly consistent read), listed through the ByOrganization index; and, per
organization and address, one pointer item (`EMAIL#<organization>#<normalized email>`) naming the
pending invitation, which is what lets a new invitation replace the earlier one under races.

An invitation item outlives its use (status accepted, revoked or replaced) until `purgeAt`, so a
spent token gets its own refusal rather than "invalid"; items past `expiresAt` are expired whatever
TTL has deleted yet."""

from __future__ import annotations

from latchkey.rules.records import Invitation, normalize_email
from latchkey.settings import get_settings
from latchkey.store import items as declared
from latchkey.store.dynamodb import (
    Labelled,
    TransactionCancelled,
    client,
    from_item,
    labelled,
    query_all,
    to_item,
    transact,
)

PENDING, ACCEPTED, REVOKED, REPLACED = "pending", "accepted", "revoked", "replaced"
_INDEX = "ByOrganization"
# The names of this table's transaction items (`dynamodb.labelled`), by which a refusal is asked.
INVITATION = "invitation"  # the invitation item (refused: no longer pending, or another token)
POINTER = "invitation pointer"  # its address's pointer to the pending invitation
_KEEP_AFTER_END = 30 * 24 * 3600  # a spent or expired invitation still answers with its own code this long
_NAMES = {"#status": "status"}


def _table() -> str:
    return get_settings().invitations_table


def _key(invitation_id: str) -> dict:
    return {"invitationId": {"S": invitation_id}}


def _pointer_key(organization_id: str, email: str) -> dict:
    return _key(f"{declared.INVITATION_POINTER}{organization_id}#{normalize_email(email)}")


def get(invitation_id: str) -> Invitation | None:
    item = client.get_item(TableName=_table(), Key=_key(invitation_id), ConsistentRead=True).get("Item")
    return _invitation(from_item(item)) if item and "organizationId" in item else None


def pending_id(organization_id: str, email: str) -> str | None:
    """The id of the address's pending invitation to this organization, if there is one."""
    item = client.get_item(TableName=_table(), Key=_pointer_key(organization_id, email),
                           ConsistentRead=True).get("Item")
    return item["current"]["S"] if item else None


def create_ops(invitation: Invitation, replaces: str | None) -> list[dict]:
    """The new invitation, the address's pointer moved to it, and the one it replaces (if any) marked
    replaced: as transaction items, each conditional, so two racing invitations cannot both win."""
    pointer: dict = {"TableName": _table(), "Item": {
        **_pointer_key(invitation.organization_id, invitation.email), "current": {"S": invitation.id},
        "purgeAt": {"N": str(invitation.expires_at)}}}
    if replaces:
        pointer |= {"ConditionExpression": "#current = :previous", "ExpressionAttributeNames": {"#current": "current"},
                    "ExpressionAttributeValues": {":previous": {"S": replaces}}}
    else:
        pointer["ConditionExpression"] = "attribute_not_exists(invitationId)"
    ops = [{"Put": {"TableName": _table(), "Item": to_item(_attributes(invitation)),
                    "ConditionExpression": "attribute_not_exists(invitationId)"}},
           {"Put": pointer}]
    if replaces:
        ops.append(_status_op(replaces, REPLACED))
    return ops


def revoke_ops(invitation: Invitation) -> list[dict]:
    """The pending invitation revoked and its address's pointer removed, as transaction items."""
    return [_status_op(invitation.id, REVOKED), _drop_pointer_op(invitation)]


def accept_ops(invitation: Invitation, now: int) -> list[Labelled]:
    """The invitation spent (INVITATION), as transaction items: only if it is still pending, unexpired
    and the same token (so of any number of racing accepts, one wins), and its address's pointer
    removed (POINTER)."""
    spend = _status_op(invitation.id, ACCEPTED)
    spend["Update"]["ConditionExpression"] += " AND expiresAt > :now AND tokenHash = :hash"
    spend["Update"]["ExpressionAttributeValues"] |= {":now": {"N": str(now)}, ":hash": {"S": invitation.token_hash}}
    return [labelled(INVITATION, spend), labelled(POINTER, _drop_pointer_op(invitation))]


def list_pending(organization_id: str, now: int) -> list[Invitation]:
    """The organization's pending, unexpired invitations, oldest first (never their token hash: the
    index does not hold it)."""
    values = query_all(TableName=_table(), IndexName=_INDEX, KeyConditionExpression="organizationId = :org",
                       ExpressionAttributeValues={":org": {"S": organization_id}})
    found = [_invitation(v) for v in values]
    return [i for i in found if i.is_pending(now)]


def revoke_sent_by(organization_id: str, user_id: str | None, now: int) -> int:
    """Revokes every pending invitation of the organization that `user_id` sent (every one, with
    None): one transaction each, an invitation accepted, revoked or replaced meanwhile skipped. How
    many it revoked. Sending it again revokes what a fault left pending, and nothing twice."""
    revoked = 0
    for invitation in list_pending(organization_id, now):
        if user_id is not None and invitation.invited_by != user_id:
            continue
        try:
            transact(revoke_ops(invitation))
        except TransactionCancelled:
            continue  # no longer pending: accepted, revoked or replaced meanwhile
        revoked += 1
    return revoked


def _status_op(invitation_id: str, status: str) -> dict:
    """A pending invitation moved to `status`, as a transaction item."""
    return {"Update": {"TableName": _table(), "Key": _key(invitation_id), "UpdateExpression": "SET #status = :new",
                       "ConditionExpression": "#status = :pending", "ExpressionAttributeNames": dict(_NAMES),
                       "ExpressionAttributeValues": {":new": {"S": status}, ":pending": {"S": PENDING}}}}


def _drop_pointer_op(invitation: Invitation) -> dict:
    # Unconditional: only the status write decides; the pointer follows the invitation it names.
    return {"Delete": {"TableName": _table(), "Key": _pointer_key(invitation.organization_id, invitation.email)}}


def _attributes(invitation: Invitation) -> dict:
    return {
        "invitationId": invitation.id,
        "organizationId": invitation.organization_id,
        "email": invitation.email,
        "role": invitation.role,
        "tokenHash": invitation.token_hash,
        "status": invitation.status,
        "invitedBy": invitation.invited_by,
        "createdAt": invitation.created_at,
        "expiresAt": invitation.expires_at,
        "purgeAt": invitation.expires_at + _KEEP_AFTER_END,
    }


def _invitation(values: dict) -> Invitation:
    return Invitation(
        id=values["invitationId"],
        organization_id=values["organizationId"],
        email=values["email"],
        role=values["role"],
        token_hash=values.get("tokenHash", ""),
        status=values["status"],
        invited_by=values["invitedBy"],
        created_at=values["createdAt"],
        expires_at=values["expiresAt"],
    )
