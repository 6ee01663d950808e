"""The accounts table: users (`USER#<id>`), credentials (`EMAIL#<normalized email>`: the user id and
password hash; one item per email is what makes an email unique) and organizations (`ORG#<id>`,
with `adminCount`, the number of its admins). The ByOrganization index lists an organization's users
(user items only: the others lack `userId` or `organizationId`).

Login reads the credentials item, and only a correct password reads the user: so an unknown email
and a wrong password cost the same reads before hashing.

"At least one admin" is a condition on `adminCount`: every write that makes or unmakes an admin is
one transaction with the organization's count, and a demotion or removal of an admin requires the
count to be above one. So two admins demoting each other at once cannot both succeed: DynamoDB
serialises the two transactions on the organization's item. An organization created before the
count existed has no `adminCount`, and exactly one admin then (nobody could add another): a missing
count reads as 1."""

from __future__ import annotations

from typing import Any, NamedTuple

from latchkey.errors import EmailTaken, LastAdmin
from latchkey.rules.records import ADMIN, Organization, User, normalize_email
from latchkey.settings import get_settings
from latchkey.store.dynamodb import (
    TransactionCancelled,
    client,
    decode_cursor,
    encode_cursor,
    from_item,
    to_item,
    transact,
    update_if,
)

_BY_ORGANIZATION = "ByOrganization"


def _table() -> str:
    return get_settings().accounts_table


def _put_new(item: dict) -> dict:
    return {
        "Put": {
            "TableName": _table(),
            "Item": to_item(item),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }


class Credentials(NamedTuple):
    user_id: str
    password_hash: str


def create_user_with_organization(user: User, password_hash: str, organization: Organization) -> None:
    """Writes the user, their credentials and their organization at once; EmailTaken if the email is
    already claimed. One transaction, so two racing sign-ups can never both win."""
    items = [
        _put_new({"pk": f"EMAIL#{normalize_email(user.email)}", "userId": user.id, "passwordHash": password_hash}),
        _put_new({"pk": f"USER#{user.id}", **_user_attributes(user)}),
        _put_new(
            {
                "pk": f"ORG#{organization.id}",
                "organizationId": organization.id,
                "name": organization.name,
                "createdAt": organization.created_at,
                "adminCount": 1 if user.role == ADMIN else 0,
            }
        ),
    ]
    try:
        transact(items)
    except TransactionCancelled as cancelled:
        # The email's item refused: it is taken. DynamoDB cancels the loser of two simultaneous sign-ups
        # with TransactionConflict first; `transact` retries that, and the retry tells a taken email.
        if cancelled.reasons[:1] == ("ConditionalCheckFailed",):
            raise EmailTaken() from None
        raise


# What a function that checks no TOTP code may read of a user item: never the sealed secrets or the
# recovery-code hashes (template.yaml grants those functions exactly these attributes).
USER_PUBLIC_ATTRIBUTES = ("pk", "userId", "email", "name", "role", "plan", "organizationId", "createdAt",
                          "totpEnabled", "signedOutAt")
_PROJECTION = {"ProjectionExpression": ", ".join(f"#a{i}" for i in range(len(USER_PUBLIC_ATTRIBUTES))),
               "ExpressionAttributeNames": {f"#a{i}": a for i, a in enumerate(USER_PUBLIC_ATTRIBUTES)}}


def get_user(user_id: str) -> User | None:
    item = client.get_item(TableName=_table(), Key=_user_key(user_id), ConsistentRead=True, **_PROJECTION).get("Item")
    return _user(from_item(item)) if item else None


def mark_signed_out(user_id: str, now: int) -> None:
    """Records a "sign out everywhere": pending-2FA tokens issued until `now` stop working."""
    update_if(TableName=_table(), Key=_user_key(user_id), UpdateExpression="SET signedOutAt = :now",
              ConditionExpression="attribute_exists(pk)", ExpressionAttributeValues={":now": {"N": str(now)}})


def get_organization(organization_id: str) -> Organization | None:
    item = client.get_item(TableName=_table(), Key=_organization_key(organization_id), ConsistentRead=True).get("Item")
    return _organization(from_item(item)) if item else None


def set_result_redirect_url(organization_id: str, url: str | None) -> Organization | None:
    """Sets (or, with None, removes) the organization's result redirect URL; the organization after,
    or None if there is no such organization."""
    if url is None:
        update, values = "REMOVE resultRedirectUrl", {}
    else:
        update, values = "SET resultRedirectUrl = :url", {"ExpressionAttributeValues": {":url": {"S": url}}}
    try:
        result = client.update_item(TableName=_table(), Key=_organization_key(organization_id),
                                    UpdateExpression=update, ConditionExpression="attribute_exists(pk)",
                                    ReturnValues="ALL_NEW", **values)
    except client.exceptions.ConditionalCheckFailedException:
        return None
    return _organization(from_item(result["Attributes"]))


def _organization_key(organization_id: str) -> dict:
    return {"pk": {"S": f"ORG#{organization_id}"}}


def _organization(values: dict) -> Organization:
    return Organization(id=values["organizationId"], name=values["name"], created_at=values["createdAt"],
                        result_redirect_url=values.get("resultRedirectUrl"))


def find_credentials(email: str) -> Credentials | None:
    key = {"pk": {"S": f"EMAIL#{normalize_email(email)}"}}
    item = client.get_item(TableName=_table(), Key=key, ConsistentRead=True).get("Item")
    return Credentials(item["userId"]["S"], item["passwordHash"]["S"]) if item else None


# --- two-factor state, on the user item ------------------------------------------------------------


class TwoFactor(NamedTuple):
    enabled: bool
    sealed_secret: str  # AES-GCM sealed base32 secret (never in clear)
    sealed_pending: str  # set up, not yet confirmed
    last_step: int  # the last TOTP time step accepted: a code is good once
    recovery_hashes: frozenset[str]


def get_user_and_two_factor(user_id: str) -> tuple[User, TwoFactor] | None:
    """The user and their two-factor state: one read of the user item."""
    item = client.get_item(TableName=_table(), Key=_user_key(user_id), ConsistentRead=True).get("Item")
    if not item:
        return None
    values = from_item(item)
    return _user(values), TwoFactor(
        enabled=values.get("totpEnabled", False),
        sealed_secret=values.get("totpSecret", ""),
        sealed_pending=values.get("totpPending", ""),
        last_step=values.get("totpLastStep", 0),
        recovery_hashes=frozenset(values.get("recoveryCodeHashes", ())),
    )


def set_pending_two_factor(user_id: str, sealed: str) -> bool:
    """Stores a set-up secret; False if two-factor is already on."""
    return _conditional_update(user_id, "SET totpPending = :sealed",
                               "attribute_exists(pk) AND (attribute_not_exists(totpEnabled) OR totpEnabled = :off)",
                               {":sealed": {"S": sealed}, ":off": {"BOOL": False}})


def enable_two_factor(user_id: str, sealed: str, step: int, recovery_hashes: list[str]) -> bool:
    """Turns on the set-up secret it was confirmed against; False if it changed or is already on."""
    return _conditional_update(
        user_id,
        "SET totpSecret = :sealed, totpEnabled = :on, totpLastStep = :step, recoveryCodeHashes = :codes "
        "REMOVE totpPending",
        "totpPending = :sealed AND (attribute_not_exists(totpEnabled) OR totpEnabled = :off)",
        {":sealed": {"S": sealed}, ":on": {"BOOL": True}, ":off": {"BOOL": False}, ":step": {"N": str(step)},
         ":codes": {"SS": recovery_hashes}},
    )


def disable_two_factor(user_id: str) -> bool:
    return _conditional_update(
        user_id, "SET totpEnabled = :off REMOVE totpSecret, totpPending, totpLastStep, recoveryCodeHashes",
        "totpEnabled = :on", {":on": {"BOOL": True}, ":off": {"BOOL": False}})


def spend_code_op(user_id: str, *, totp_step: int | None = None, recovery_hash: str | None = None,
                  role: str | None = None) -> dict:
    """Spends a second-factor code, as a transaction item: records `totp_step` as used if it is later
    than every step used before, or removes an unused recovery code. Either way a code works once.
    With `role`, only while the user still has that role (a sign-in's session carries it)."""
    if totp_step is not None:
        update, condition = "SET totpLastStep = :step", "totpEnabled = :on AND totpLastStep < :step"
        values = {":step": {"N": str(totp_step)}, ":on": {"BOOL": True}}
    else:
        update = "DELETE recoveryCodeHashes :code"
        condition = "totpEnabled = :on AND contains(recoveryCodeHashes, :hash)"
        values = {":code": {"SS": [recovery_hash]}, ":hash": {"S": recovery_hash}, ":on": {"BOOL": True}}
    names = {}
    if role is not None:
        condition, names = f"{condition} AND #role = :role", {"ExpressionAttributeNames": {"#role": "role"}}
        values[":role"] = {"S": role}
    return {"Update": {"TableName": _table(), "Key": _user_key(user_id), "UpdateExpression": update,
                       "ConditionExpression": condition, "ExpressionAttributeValues": values, **names}}


def spend_code(user_id: str, **code: Any) -> bool:
    """The same, on its own; False if the code was already spent (or two-factor is off)."""
    return update_if(**spend_code_op(user_id, **code)["Update"])


def _conditional_update(user_id: str, update: str, condition: str, values: dict) -> bool:
    return update_if(TableName=_table(), Key=_user_key(user_id), UpdateExpression=update,
                     ConditionExpression=condition, ExpressionAttributeValues=values)


def _user_key(user_id: str) -> dict:
    return {"pk": {"S": f"USER#{user_id}"}}


def _user_attributes(user: User) -> dict:
    return {
        "userId": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "plan": user.plan,
        "organizationId": user.organization_id,
        "createdAt": user.created_at,
    }


def _user(values: dict) -> User:
    return User(
        id=values["userId"],
        email=values["email"],
        name=values["name"],
        role=values["role"],
        plan=values["plan"],
        organization_id=values["organizationId"],
        created_at=values["createdAt"],
        two_factor_enabled=values.get("totpEnabled", False),
        signed_out_at=values.get("signedOutAt", 0),
    )


# --- members: an organization's users, their roles, joining and leaving ------------------------------


def list_members_page(organization_id: str, limit: int, cursor: str | None) -> tuple[list[User], str | None]:
    """A page of the organization's users, oldest first (user ids sort by creation)."""
    params: dict[str, Any] = {"TableName": _table(), "IndexName": _BY_ORGANIZATION, "Limit": limit,
                              "KeyConditionExpression": "organizationId = :org",
                              "ExpressionAttributeValues": {":org": {"S": organization_id}}}
    if cursor:
        after = decode_cursor(cursor)
        params["ExclusiveStartKey"] = {"organizationId": {"S": organization_id}, "userId": {"S": after},
                                       **_user_key(after)}
    page = client.query(**params)
    last = page.get("LastEvaluatedKey")
    next_cursor = encode_cursor(last["userId"]["S"]) if last else None
    return [_user(from_item(item)) for item in page.get("Items", [])], next_cursor


def unchanged_member_op(user: User) -> dict:
    """A transaction item that holds only while the user still exists with the role they had when
    read: a sign-in writes its session with it, so a session never starts with a role that was
    changed meanwhile, nor for a user removed meanwhile."""
    return {"ConditionCheck": {"TableName": _table(), "Key": _user_key(user.id),
                               "ConditionExpression": "attribute_exists(pk) AND #role = :role",
                               "ExpressionAttributeNames": {"#role": "role"},
                               "ExpressionAttributeValues": {":role": {"S": user.role}}}}


def email_free_op(email: str) -> dict:
    """A transaction item that holds only while no account has this email."""
    return {"ConditionCheck": {"TableName": _table(), "Key": {"pk": {"S": f"EMAIL#{normalize_email(email)}"}},
                               "ConditionExpression": "attribute_not_exists(pk)"}}


def add_member_ops(user: User, password_hash: str) -> list[dict]:
    """A new user of an existing organization (credentials, user, and the organization's admin count
    or, for a member, the organization still there), as transaction items: the email's item first,
    so its ConditionalCheckFailed says the email is taken."""
    return [
        _put_new({"pk": f"EMAIL#{normalize_email(user.email)}", "userId": user.id, "passwordHash": password_hash}),
        _put_new({"pk": f"USER#{user.id}", **_user_attributes(user), "emailVerified": True}),
        _admin_count_op(user.organization_id, +1) if user.role == ADMIN else
        {"ConditionCheck": {"TableName": _table(), "Key": _organization_key(user.organization_id),
                            "ConditionExpression": "attribute_exists(pk)"}},
    ]


def change_role(user: User, role: str) -> None:
    """Sets a member's role, with the organization's admin count, in one transaction; LastAdmin if it
    would leave the organization without an admin. TransactionCancelled if the user changed meanwhile."""
    ops = [{"Update": {"TableName": _table(), "Key": _user_key(user.id), "UpdateExpression": "SET #role = :new",
                       "ConditionExpression": "organizationId = :org AND #role = :old",
                       "ExpressionAttributeNames": {"#role": "role"},
                       "ExpressionAttributeValues": {":new": {"S": role}, ":old": {"S": user.role},
                                                     ":org": {"S": user.organization_id}}}},
           _admin_count_op(user.organization_id, +1 if role == ADMIN else -1)]
    _with_admin_count(ops, counts_out=role != ADMIN)


def remove_member(user: User) -> None:
    """Deletes a member's user item and credentials (and, for an admin, counts them out) in one
    transaction; LastAdmin if they are the last admin. TransactionCancelled if the user changed meanwhile."""
    ops = [{"Delete": {"TableName": _table(), "Key": _user_key(user.id),
                       "ConditionExpression": "organizationId = :org AND #role = :role",
                       "ExpressionAttributeNames": {"#role": "role"},
                       "ExpressionAttributeValues": {":org": {"S": user.organization_id}, ":role": {"S": user.role}}}},
           {"Delete": {"TableName": _table(), "Key": {"pk": {"S": f"EMAIL#{normalize_email(user.email)}"}},
                       "ConditionExpression": "userId = :user",
                       "ExpressionAttributeValues": {":user": {"S": user.id}}}}]
    if user.role == ADMIN:
        ops.append(_admin_count_op(user.organization_id, -1))
    _with_admin_count(ops, counts_out=user.role == ADMIN)


def _with_admin_count(ops: list[dict], counts_out: bool) -> None:
    """`ops`; when `counts_out`, the last is the admin count's decrement, and its refusal means "the
    last admin" (the user's own items come first: their refusal means the user changed meanwhile)."""
    try:
        transact(ops)
    except TransactionCancelled as cancelled:
        if counts_out and cancelled.reasons[-1] == "ConditionalCheckFailed" and "ConditionalCheckFailed" not in \
                cancelled.reasons[:-1]:
            raise LastAdmin() from None
        raise


def _admin_count_op(organization_id: str, change: int) -> dict:
    if change > 0:  # a missing count is the one admin an older organization has
        update, condition = "SET adminCount = if_not_exists(adminCount, :one) + :one", "attribute_exists(pk)"
    else:
        update, condition = "SET adminCount = adminCount - :one", "adminCount > :one"
    return {"Update": {"TableName": _table(), "Key": _organization_key(organization_id), "UpdateExpression": update,
                       "ConditionExpression": condition, "ExpressionAttributeValues": {":one": {"N": "1"}}}}
