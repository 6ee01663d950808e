"""The accounts table: users (`USER#<id>`), credentials (`EMAIL#<normalized email>`: the user id and
password hash; one item per email is what makes an email unique) and organizations (`ORG#<id>`).

Login reads the credentials item, and only a correct password reads the user: so an unknown email
and a wrong password cost the same reads before hashing."""

from __future__ import annotations

from typing import Any, NamedTuple

from latchkey.errors import EmailTaken
from latchkey.rules.records import Organization, User, normalize_email
from latchkey.settings import get_settings
from latchkey.store.dynamodb import TransactionCancelled, client, from_item, to_item, transact, update_if


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
    organization_id: str = ""  # for the audit trail of a failed sign-in (absent on older items)


def create_user_with_organization(user: User, password_hash: str, organization: Organization) -> None:
    """Writes the user, their credentials and their organization at once; EmailTaken if the email is
    already claimed. One transaction, so two racing sign-ups can never both win."""
    items = [
        _put_new({"pk": f"EMAIL#{normalize_email(user.email)}", "userId": user.id, "passwordHash": password_hash,
                  "organizationId": user.organization_id}),
        _put_new({"pk": f"USER#{user.id}", **_user_attributes(user)}),
        _put_new(
            {
                "pk": f"ORG#{organization.id}",
                "organizationId": organization.id,
                "name": organization.name,
                "createdAt": organization.created_at,
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


def mark_signed_out(user_id: str, now: int, also: list[dict] | tuple = ()) -> None:
    """Records a "sign out everywhere": pending-2FA tokens issued until `now` stop working."""
    update_if(also=also, TableName=_table(), Key=_user_key(user_id), UpdateExpression="SET signedOutAt = :now",
              ConditionExpression="attribute_exists(pk)", ExpressionAttributeValues={":now": {"N": str(now)}})


def get_organization(organization_id: str) -> Organization | None:
    item = client.get_item(TableName=_table(), Key=_organization_key(organization_id), ConsistentRead=True).get("Item")
    return _organization(from_item(item)) if item else None


def set_result_redirect_url(organization_id: str, url: str | None,
                            also: list[dict] | tuple = ()) -> Organization | None:
    """Sets (or, with None, removes) the organization's result redirect URL, in one transaction with
    `also` (its audit event); the organization after, or None if there is no such organization."""
    if url is None:
        update, values = "REMOVE resultRedirectUrl", {}
    else:
        update, values = "SET resultRedirectUrl = :url", {"ExpressionAttributeValues": {":url": {"S": url}}}
    if not update_if(also=also, TableName=_table(), Key=_organization_key(organization_id), UpdateExpression=update,
                     ConditionExpression="attribute_exists(pk)", **values):
        return None
    return get_organization(organization_id)


def _organization_key(organization_id: str) -> dict:
    return {"pk": {"S": f"ORG#{organization_id}"}}


def _organization(values: dict) -> Organization:
    return Organization(id=values["organizationId"], name=values["name"], created_at=values["createdAt"],
                        result_redirect_url=values.get("resultRedirectUrl"))


def find_credentials(email: str) -> Credentials | None:
    key = {"pk": {"S": f"EMAIL#{normalize_email(email)}"}}
    item = client.get_item(TableName=_table(), Key=key, ConsistentRead=True).get("Item")
    if not item:
        return None
    return Credentials(item["userId"]["S"], item["passwordHash"]["S"], item.get("organizationId", {}).get("S", ""))


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


def set_pending_two_factor(user_id: str, sealed: str, also: list[dict] | tuple = ()) -> bool:
    """Stores a set-up secret; False if two-factor is already on."""
    return _conditional_update(user_id, "SET totpPending = :sealed",
                               "attribute_exists(pk) AND (attribute_not_exists(totpEnabled) OR totpEnabled = :off)",
                               {":sealed": {"S": sealed}, ":off": {"BOOL": False}}, also)


def enable_two_factor(user_id: str, sealed: str, step: int, recovery_hashes: list[str],
                      also: list[dict] | tuple = ()) -> bool:
    """Turns on the set-up secret it was confirmed against; False if it changed or is already on."""
    return _conditional_update(
        user_id,
        "SET totpSecret = :sealed, totpEnabled = :on, totpLastStep = :step, recoveryCodeHashes = :codes "
        "REMOVE totpPending",
        "totpPending = :sealed AND (attribute_not_exists(totpEnabled) OR totpEnabled = :off)",
        {":sealed": {"S": sealed}, ":on": {"BOOL": True}, ":off": {"BOOL": False}, ":step": {"N": str(step)},
         ":codes": {"SS": recovery_hashes}},
        also,
    )


def disable_two_factor(user_id: str, also: list[dict] | tuple = ()) -> bool:
    return _conditional_update(
        user_id, "SET totpEnabled = :off REMOVE totpSecret, totpPending, totpLastStep, recoveryCodeHashes",
        "totpEnabled = :on", {":on": {"BOOL": True}, ":off": {"BOOL": False}}, also)


def spend_code_op(user_id: str, *, totp_step: int | None = None, recovery_hash: str | None = None) -> dict:
    """Spends a second-factor code, as a transaction item: records `totp_step` as used if it is later
    than every step used before, or removes an unused recovery code. Either way a code works once."""
    if totp_step is not None:
        update, condition = "SET totpLastStep = :step", "totpEnabled = :on AND totpLastStep < :step"
        values = {":step": {"N": str(totp_step)}, ":on": {"BOOL": True}}
    else:
        update = "DELETE recoveryCodeHashes :code"
        condition = "totpEnabled = :on AND contains(recoveryCodeHashes, :hash)"
        values = {":code": {"SS": [recovery_hash]}, ":hash": {"S": recovery_hash}, ":on": {"BOOL": True}}
    return {"Update": {"TableName": _table(), "Key": _user_key(user_id), "UpdateExpression": update,
                       "ConditionExpression": condition, "ExpressionAttributeValues": values}}


def spend_code(user_id: str, also: list[dict] | tuple = (), **code: Any) -> bool:
    """The same, on its own (or with `also`); False if the code was already spent (or two-factor is off)."""
    return update_if(also=also, **spend_code_op(user_id, **code)["Update"])


def _conditional_update(user_id: str, update: str, condition: str, values: dict, also: list[dict] | tuple = ()) -> bool:
    return update_if(also=also, TableName=_table(), Key=_user_key(user_id), UpdateExpression=update,
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
