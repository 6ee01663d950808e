"""The accounts table: users (`USER#<id>`, with their two-factor state and one-time tokens),
credentials (`EMAIL#<normalized email>`: the user id, password hash and `credentialsOrganizationId`;
one item per email is what makes an email unique) and organizations (`ORG#<id>`, with `adminCount`,
the number of its admins).
The ByOrganization index lists an organization's users (user items only: the others lack `userId` or
`organizationId`).

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

from latchkey.errors import EmailTaken, IdentityLinkedElsewhere, LastAdmin, LastSignInMethod
from latchkey.rules.one_time_tokens import (
    APPROVE_EMAIL,
    CHANGE_EMAIL,
    MAGIC_LINK,
    RESET_PASSWORD,
    VERIFY_EMAIL,
    Issued,
    Stored,
)
from latchkey.rules.records import ADMIN, Organization, User, normalize_email
from latchkey.settings import get_settings
from latchkey.store import items as declared
from latchkey.store.dynamodb import (
    REFUSED,
    Labelled,
    TransactionCancelled,
    client,
    decode_cursor,
    encode_cursor,
    from_item,
    labelled,
    query_all,
    to_item,
    transact,
    update_if,
)

_BY_ORGANIZATION = "ByOrganization"

# The names of this table's transaction items (`dynamodb.labelled`), by which a refusal is asked.
CREDENTIALS = "credentials"  # an email's credentials item (its refusal: the email is taken, or changed)
NEW_CREDENTIALS = "new address's credentials"  # an email change's new address (refused: taken)
USER = "user"  # the user item (refused: the user changed meanwhile, or is gone)
ORGANIZATION = "organization"  # the organization item (refused: it is gone)
ADMIN_COUNT = "admin count"  # the organization's admin count less one (refused: the last admin)
USER_UNCHANGED = "user unchanged"  # `unchanged_member_op`
INVITER_IS_ADMIN = "inviter is an admin"  # `admin_of_op`
EMAIL_FREE = "email free"  # `email_free_op`
PASSWORD_SET = "password set"  # the credentials item has a password (refused: none)
IDENTITY = "identity"  # a provider's identity's item (refused: another user has it, or it is gone)
USER_ENABLED = "user enabled"  # `enabled_user_op`


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


# The credentials item's organization (for the audit trail of a failed sign-in), under a name of its
# own: an item with `organizationId` is in the members index.
_CREDENTIALS_ORGANIZATION = "credentialsOrganizationId"


class Credentials(NamedTuple):
    user_id: str
    password_hash: str
    organization_id: str = ""  # for the audit trail of a failed sign-in (absent on older items)


def create_user_with_organization(user: User, password_hash: str, organization: Organization,
                                  verification: Issued | None, identity: Identity | None = None,
                                  also: list[dict] | tuple = (), sealed_totp: str = "", now: int = 0,
                                  passkeys: dict | None = None, identities: tuple = ()) -> None:
    """Writes the user (with the token that verifies their email, if any: else as `user` says it is
    verified), their credentials and their organization at once, with `also` (an audit event);
    EmailTaken if the email is already claimed. One transaction, so two racing sign-ups can never both
    win. A federated sign-up (`identity`) has no verification token (the provider said whether the
    address is verified: `user.email_verified`) and writes the identity's item too (a racing first
    sign-in of the same identity is refused); an imported user may bring a sealed TOTP secret, passkeys and
    identities (IDENTITY refused: another user has one of them)."""
    prefix = _TOKEN_PREFIX[VERIFY_EMAIL]
    token = {f"{prefix}Hash": verification.token_hash, f"{prefix}ExpiresAt": verification.expires_at} \
        if verification else {}
    identities = (identity, *identities) if identity else tuple(identities)
    linked = {"identities": {i.id: i.stored() for i in identities}} if identities else {}
    items = [
        labelled(CREDENTIALS, _put_new({
            "pk": _credentials_pk(user.email), "userId": user.id, "passwordHash": password_hash,
            _CREDENTIALS_ORGANIZATION: user.organization_id})),
        _put_new({"pk": f"{declared.USER}{user.id}", **_user_attributes(user),
                  "emailVerified": user.email_verified and not verification, **token, **linked,
                  **_imported_two_factor(sealed_totp, now), **({"passkeys": passkeys} if passkeys else {})}),
        *(labelled(IDENTITY, _identity_put(user, i)) for i in identities),
        *also,
        _put_new(
            {
                "pk": f"{declared.ORGANIZATION}{organization.id}",
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
        if cancelled.refused(CREDENTIALS):
            raise EmailTaken() from None
        if cancelled.refused(IDENTITY):
            raise IdentityLinkedElsewhere() from None
        raise


# What a function that checks no TOTP code may read of a user item: never the sealed secrets or the
# recovery-code hashes (api/tables.py declares these lists, and its rights grant exactly them).
USER_PUBLIC_ATTRIBUTES = declared.USER_READ_PUBLIC
USER_WITH_PASSKEYS = declared.USER_READ_WITH_PASSKEYS


def _projection(attributes: tuple[str, ...]) -> dict:
    """A read's arguments that fetch only `attributes` (each through a placeholder: some are reserved
    words), the list its IAM grant names."""
    return {"ProjectionExpression": ", ".join(f"#a{i}" for i in range(len(attributes))),
            "ExpressionAttributeNames": {f"#a{i}": a for i, a in enumerate(attributes)}}


_PROJECTION = _projection(USER_PUBLIC_ATTRIBUTES)


def get_user(user_id: str) -> User | None:
    item = client.get_item(TableName=_table(), Key=_user_key(user_id), ConsistentRead=True, **_PROJECTION).get("Item")
    return _user(from_item(item)) if item else None


def mark_signed_out(user_id: str, now: int, also: list[dict] | tuple = ()) -> None:
    """Records a "sign out everywhere": pending-2FA tokens issued until `now` stop working."""
    update_if(also=also, TableName=_table(), Key=_user_key(user_id), UpdateExpression="SET signedOutAt = :now",
              ConditionExpression="attribute_exists(pk)", ExpressionAttributeValues={":now": {"N": str(now)}})


def set_disabled(user_id: str, disabled: bool, also: list[dict] | tuple = ()) -> bool:
    """Marks the user disabled (or not) with `also` (its audit event); False if there is no such user.
    Sign-in and refresh read the mark (sessions.start, sessions.refresh)."""
    update = "SET disabled = :yes" if disabled else "REMOVE disabled"
    values = {"ExpressionAttributeValues": {":yes": {"BOOL": True}}} if disabled else {}
    return update_if(also=also, TableName=_table(), Key=_user_key(user_id), UpdateExpression=update,
                     ConditionExpression="attribute_exists(pk)", **values)


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
    return {"pk": {"S": f"{declared.ORGANIZATION}{organization_id}"}}


def _organization(values: dict) -> Organization:
    return Organization(id=values["organizationId"], name=values["name"], created_at=values["createdAt"],
                        result_redirect_url=values.get("resultRedirectUrl"))


def find_credentials(email: str) -> Credentials | None:
    key = _credentials_key(email)
    item = client.get_item(TableName=_table(), Key=key, ConsistentRead=True).get("Item")
    if not item:
        return None
    organization_id = item.get(_CREDENTIALS_ORGANIZATION, {}).get("S", "")
    return Credentials(item["userId"]["S"], item["passwordHash"]["S"], organization_id)


# --- two-factor state, on the user item ------------------------------------------------------------


class TwoFactor(NamedTuple):
    enabled: bool
    sealed_secret: str  # AES-GCM sealed base32 secret (never in clear)
    sealed_pending: str  # set up, not yet confirmed
    last_step: int  # the last TOTP time step accepted: a code is good once
    recovery_hashes: frozenset[str]
    enabled_at: int = 0  # when it was turned on (0: before this was recorded)
    unfinished: str = ""  # the session that turned it on or off, while its other sessions may still live


def get_user_and_two_factor(user_id: str) -> tuple[User, TwoFactor] | None:
    """The user and their two-factor state: one read of the user item."""
    item = client.get_item(TableName=_table(), Key=_user_key(user_id), ConsistentRead=True).get("Item")
    if not item:
        return None
    values = from_item(item)
    return _user(values), _two_factor(values)


def _two_factor(values: dict) -> TwoFactor:
    return TwoFactor(
        enabled=values.get("totpEnabled", False),
        sealed_secret=values.get("totpSecret", ""),
        sealed_pending=values.get("totpPending", ""),
        last_step=values.get("totpLastStep", 0),
        recovery_hashes=frozenset(values.get("recoveryCodeHashes", ())),
        enabled_at=values.get("totpEnabledAt", 0),
        unfinished=values.get("totpUnfinished", ""),
    )


def set_pending_two_factor(user_id: str, sealed: str, also: list[dict] | tuple = ()) -> bool:
    """Stores a set-up secret; False if two-factor is already on."""
    return _conditional_update(user_id, "SET totpPending = :sealed",
                               "attribute_exists(pk) AND (attribute_not_exists(totpEnabled) OR totpEnabled = :off)",
                               {":sealed": {"S": sealed}, ":off": {"BOOL": False}}, also)


def enable_two_factor(user_id: str, sealed: str, step: int, recovery_hashes: list[str], now: int, session_id: str,
                      also: list[dict] | tuple = ()) -> bool:
    """Turns on the set-up secret it was confirmed against, marked unfinished by `session_id` until
    `finish_two_factor_change`; False if it changed or is already on."""
    return _conditional_update(
        user_id,
        "SET totpSecret = :sealed, totpEnabled = :on, totpLastStep = :step, recoveryCodeHashes = :codes, "
        "totpEnabledAt = :now, totpUnfinished = :session REMOVE totpPending",
        "totpPending = :sealed AND (attribute_not_exists(totpEnabled) OR totpEnabled = :off)",
        {":sealed": {"S": sealed}, ":on": {"BOOL": True}, ":off": {"BOOL": False}, ":step": {"N": str(step)},
         ":codes": {"SS": recovery_hashes}, ":now": {"N": str(now)}, ":session": {"S": session_id}},
        also,
    )


def replace_recovery_codes(user_id: str, session_id: str, recovery_hashes: list[str]) -> bool:
    """New recovery codes for a factor `session_id` turned on and has not finished turning on (the
    first ones were never shown); False if it finished meanwhile."""
    return _conditional_update(user_id, "SET recoveryCodeHashes = :codes",
                               "totpEnabled = :on AND totpUnfinished = :session",
                               {":codes": {"SS": recovery_hashes}, ":on": {"BOOL": True},
                                ":session": {"S": session_id}})


def disable_two_factor(user_id: str, session_id: str, also: list[dict] | tuple = (), **code: Any) -> bool:
    """Turns it off with a code that must still be unspent (`totp_step` or `recovery_hash`, as
    `spend_code_op` takes them): one write, so a 503 leaves the same code good for the retry. Marked
    unfinished by `session_id` until `finish_two_factor_change`; False if the code was spent or the
    factor is off."""
    condition, values = _code_unspent(**code)
    return _conditional_update(
        user_id, f"SET totpEnabled = :off, totpUnfinished = :session REMOVE {_FACTOR_ATTRIBUTES}", condition,
        {**values, ":off": {"BOOL": False}, ":session": {"S": session_id}}, also)


def finish_two_factor_change(user_id: str, session_id: str) -> None:
    """The change `session_id` made is finished (its other sessions ended); a no-op if it was already."""
    _conditional_update(user_id, "REMOVE totpUnfinished", "totpUnfinished = :session",
                        {":session": {"S": session_id}})


# Everything a second factor is, removed with it.
_FACTOR_ATTRIBUTES = "totpSecret, totpPending, totpLastStep, recoveryCodeHashes, totpEnabledAt"


def spend_code_op(user_id: str, *, totp_step: int | None = None, recovery_hash: str | None = None,
                  role: str | None = None) -> dict:
    """Spends a second-factor code, as a transaction item: records `totp_step` as used if it is later
    than every step used before, or removes an unused recovery code. Either way a code works once.
    With `role`, only while the user still has that role (a sign-in's session carries it)."""
    condition, values = _code_unspent(totp_step, recovery_hash)
    if totp_step is not None:
        update = "SET totpLastStep = :step"
    else:
        update = "DELETE recoveryCodeHashes :code"
        values[":code"] = {"SS": [recovery_hash]}
    names = {}
    if role is not None:
        condition, names = f"{condition} AND #role = :role", {"ExpressionAttributeNames": {"#role": "role"}}
        values[":role"] = {"S": role}
    return {"Update": {"TableName": _table(), "Key": _user_key(user_id), "UpdateExpression": update,
                       "ConditionExpression": condition, "ExpressionAttributeValues": values, **names}}


def _code_unspent(totp_step: int | None = None, recovery_hash: str | None = None) -> tuple[str, dict]:
    """The condition that two-factor is on and the code is unspent: `totp_step` later than every step
    used before, or `recovery_hash` an unused recovery code's."""
    if totp_step is not None:
        return "totpEnabled = :on AND totpLastStep < :step", {":step": {"N": str(totp_step)}, ":on": {"BOOL": True}}
    return "totpEnabled = :on AND contains(recoveryCodeHashes, :hash)", {":hash": {"S": recovery_hash},
                                                                          ":on": {"BOOL": True}}


def spend_code(user_id: str, also: list[dict] | tuple = (), **code: Any) -> bool:
    """The same, on its own (or with `also`); False if the code was already spent (or two-factor is off)."""
    return update_if(also=also, **spend_code_op(user_id, **code)["Update"])


def _conditional_update(user_id: str, update: str, condition: str, values: dict, also: list[dict] | tuple = ()) -> bool:
    return update_if(also=also, TableName=_table(), Key=_user_key(user_id), UpdateExpression=update,
                     ConditionExpression=condition, ExpressionAttributeValues=values)


def _user_key(user_id: str) -> dict:
    return {"pk": {"S": f"{declared.USER}{user_id}"}}


def _credentials_pk(email: str) -> str:
    return f"{declared.CREDENTIALS}{normalize_email(email)}"


def _credentials_key(email: str) -> dict:
    return {"pk": {"S": _credentials_pk(email)}}


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
        email_verified=values.get("emailVerified", False),
        pending_email=values.get("pendingEmail", ""),
        disabled=values.get("disabled", False),
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


def list_members(organization_id: str) -> list[User]:
    """Every user of the organization, all pages (deleting an account asks who else is in it)."""
    return [_user(item) for item in query_all(TableName=_table(), IndexName=_BY_ORGANIZATION,
                                              KeyConditionExpression="organizationId = :org",
                                              ExpressionAttributeValues={":org": {"S": organization_id}})]


def unchanged_member_op(user: User) -> Labelled:
    """A transaction item that holds only while the user still exists with the role they had when
    read: a sign-in writes its session with it, so a session never starts with a role that was
    changed meanwhile, nor for a user removed or disabled meanwhile. Named USER_UNCHANGED."""
    return labelled(USER_UNCHANGED, {"ConditionCheck": {
        "TableName": _table(), "Key": _user_key(user.id),
        "ConditionExpression": "attribute_exists(pk) AND #role = :role AND attribute_not_exists(disabled)",
        "ExpressionAttributeNames": {"#role": "role"}, "ExpressionAttributeValues": {":role": {"S": user.role}}}})


def enabled_user_op(user_id: str) -> Labelled:
    """A transaction item that holds only while the user is not disabled (the admin API): an API key is
    created with it, so a key made while a disable runs is refused, or listed and revoked by it."""
    return labelled(USER_ENABLED, {"ConditionCheck": {"TableName": _table(), "Key": _user_key(user_id),
                                                      "ConditionExpression": "attribute_not_exists(disabled)"}})


def admin_of_op(user_id: str, organization_id: str) -> Labelled:
    """A transaction item that holds only while the user exists and is an admin of the organization:
    an invitation is accepted with it on its inviter, so a removed or demoted admin's invitation
    admits nobody, even one accepted while the removal or demotion commits. Named INVITER_IS_ADMIN."""
    return labelled(INVITER_IS_ADMIN, {"ConditionCheck": {
        "TableName": _table(), "Key": _user_key(user_id),
        "ConditionExpression": "organizationId = :org AND #role = :admin",
        "ExpressionAttributeNames": {"#role": "role"},
        "ExpressionAttributeValues": {":org": {"S": organization_id}, ":admin": {"S": ADMIN}}}})


def email_free_op(email: str) -> Labelled:
    """A transaction item that holds only while no account has this email. Named EMAIL_FREE."""
    return labelled(EMAIL_FREE, {"ConditionCheck": {"TableName": _table(), "Key": _credentials_key(email),
                                                    "ConditionExpression": "attribute_not_exists(pk)"}})


def _imported_two_factor(sealed_totp: str, now: int) -> dict:
    """An imported user's two-factor state: on, with the sealed secret they had (no recovery codes: they
    make new ones in the dashboard)."""
    return {"totpSecret": sealed_totp, "totpEnabled": True, "totpLastStep": 0, "totpEnabledAt": now} \
        if sealed_totp else {}


def add_member_ops(user: User, password_hash: str, sealed_totp: str = "", now: int = 0,
                   passkeys: dict | None = None, identities: tuple = ()) -> list[Labelled]:
    """A new user of an existing organization, as transaction items: its credentials (CREDENTIALS:
    refused, the email is taken), the user (USER), its imported identities (IDENTITY: refused, another
    user has one), and the organization's admin count or, for a member, the organization still there
    (ORGANIZATION: refused, it is gone)."""
    linked = {"identities": {i.id: i.stored() for i in identities}} if identities else {}
    return [
        *(labelled(IDENTITY, _identity_put(user, i)) for i in identities),
        labelled(CREDENTIALS, _put_new({
            "pk": _credentials_pk(user.email), "userId": user.id, "passwordHash": password_hash,
            _CREDENTIALS_ORGANIZATION: user.organization_id})),
        labelled(USER, _put_new({"pk": f"{declared.USER}{user.id}", **_user_attributes(user),
                                 "emailVerified": user.email_verified, **_imported_two_factor(sealed_totp, now),
                                 **({"passkeys": passkeys} if passkeys else {}), **linked})),
        labelled(ORGANIZATION, _admin_count_op(user.organization_id, +1) if user.role == ADMIN else
                 {"ConditionCheck": {"TableName": _table(), "Key": _organization_key(user.organization_id),
                                     "ConditionExpression": "attribute_exists(pk)"}}),
    ]


def change_role(user: User, role: str, also: list[dict] | tuple = ()) -> None:
    """Sets a member's role, with the organization's admin count and `also` (its audit event), in one
    transaction; LastAdmin if it would leave the organization without an admin. TransactionCancelled if
    the user changed meanwhile."""
    ops = [labelled(USER, {"Update": {
               "TableName": _table(), "Key": _user_key(user.id), "UpdateExpression": "SET #role = :new",
               "ConditionExpression": "organizationId = :org AND #role = :old",
               "ExpressionAttributeNames": {"#role": "role"},
               "ExpressionAttributeValues": {":new": {"S": role}, ":old": {"S": user.role},
                                             ":org": {"S": user.organization_id}}}}),
           *also, labelled(ADMIN_COUNT, _admin_count_op(user.organization_id, +1 if role == ADMIN else -1))]
    _with_admin_count(ops, counts_out=role != ADMIN)


def remove_member(user: User, identities: list[Identity], also: list[dict] | tuple = ()) -> None:
    """Deletes a member's user item, credentials and linked `identities` (and, for an admin, counts them
    out) with `also` (its audit event) in one transaction; LastAdmin if they are the last admin.
    TransactionCancelled if the user changed meanwhile (an identity linked since `identities` was read
    among it)."""
    unchanged, values = _identities_unchanged(identities)
    ops = [labelled(USER, {"Delete": {
               "TableName": _table(), "Key": _user_key(user.id),
               "ConditionExpression": f"organizationId = :org AND #role = :role AND {unchanged}",
               "ExpressionAttributeNames": {"#role": "role"},
               "ExpressionAttributeValues": {":org": {"S": user.organization_id}, ":role": {"S": user.role},
                                             **values}}}),
           labelled(CREDENTIALS, {"Delete": {
               "TableName": _table(), "Key": _credentials_key(user.email),
               "ConditionExpression": "userId = :user", "ExpressionAttributeValues": {":user": {"S": user.id}}}}),
           *_identity_deletes(user.id, identities), *also]
    if user.role == ADMIN:
        ops.append(labelled(ADMIN_COUNT, _admin_count_op(user.organization_id, -1)))
    _with_admin_count(ops, counts_out=user.role == ADMIN)


def _with_admin_count(ops: list, counts_out: bool) -> None:
    """`ops`; when `counts_out`, ADMIN_COUNT is the admin count's decrement, and its refusal alone means
    "the last admin" (the user's own items refused mean the user changed meanwhile)."""
    try:
        transact(ops)
    except TransactionCancelled as cancelled:
        if counts_out and cancelled.refused_only(ADMIN_COUNT):
            raise LastAdmin() from None
        raise


def _admin_count_op(organization_id: str, change: int) -> dict:
    if change > 0:  # a missing count is the one admin an older organization has
        update, condition = "SET adminCount = if_not_exists(adminCount, :one) + :one", "attribute_exists(pk)"
    else:
        update, condition = "SET adminCount = adminCount - :one", "adminCount > :one"
    return {"Update": {"TableName": _table(), "Key": _organization_key(organization_id), "UpdateExpression": update,
                       "ConditionExpression": condition, "ExpressionAttributeValues": {":one": {"N": "1"}}}}
# --- one-time tokens and account changes (issue 14) ------------------------------------------------
# Per purpose, on the user item: `<prefix>Hash` (the SHA-256 of the live token), `<prefix>ExpiresAt`, and
# `<prefix>Spent` (the hash last spent). A pending email change (issue 23) is `pendingEmail`, the new
# address's confirmation token, the current address's approval token, and which of the two came back
# (`emailChangeConfirmed`, `emailChangeApproved`): the account moves when both have.

_TOKEN_PREFIX = {VERIFY_EMAIL: "verifyToken", RESET_PASSWORD: "resetToken", CHANGE_EMAIL: "emailToken",
                 APPROVE_EMAIL: "approveToken", MAGIC_LINK: "magicToken"}
TOKEN_ATTRIBUTES = tuple(f"{p}{s}" for p in _TOKEN_PREFIX.values() for s in ("Hash", "ExpiresAt", "Spent"))
_EMAIL_CHANGE_FLAGS = ("emailChangeApproved", "emailChangeConfirmed")
USER_TOKEN_ATTRIBUTES = declared.USER_READ_WITH_TOKENS  # USER_PUBLIC_ATTRIBUTES, TOKEN_ATTRIBUTES and the flags
# What voids a pending email change: its address, both of its live tokens and its progress.
_PENDING_CHANGE = declared.PENDING_EMAIL_CHANGE  # pendingEmail, the two live tokens, _EMAIL_CHANGE_FLAGS
# The live links mailed to an address the account leaves: they die with the move.
_OLD_ADDRESS_LINKS = ("verifyTokenHash", "verifyTokenExpiresAt", "resetTokenHash", "resetTokenExpiresAt",
                      "magicTokenHash", "magicTokenExpiresAt")
_WITH_TOKENS = _projection(USER_TOKEN_ATTRIBUTES)


class Tokens(NamedTuple):
    """A user's one-time tokens as stored, per purpose, the address an email change waits on and which
    of its two links came back; and an unfinished password reset's token hash and time (`cleanup_*`)."""

    stored: dict[str, Stored]
    pending_email: str = ""
    change_approved: bool = False
    change_confirmed: bool = False
    cleanup_hash: str = ""
    cleanup_at: int = 0
    cleanup_reclaims: bool = False


def _tokens(values: dict) -> Tokens:
    stored = {purpose: Stored(values.get(f"{p}Hash", ""), values.get(f"{p}ExpiresAt", 0), values.get(f"{p}Spent", ""))
              for purpose, p in _TOKEN_PREFIX.items()}
    return Tokens(stored, values.get("pendingEmail", ""), values.get("emailChangeApproved", False),
                  values.get("emailChangeConfirmed", False), values.get("resetCleanupHash", ""),
                  values.get("resetCleanupAt", 0), values.get("resetCleanupReclaims", False))


def token_op(user_id: str, purpose: str, issued: Issued, to: str) -> dict:
    """Stores a new token for `purpose` (voiding the one before), as a transaction item, while the
    account's address is still `to`, the one it is mailed to: a link never outlives its address."""
    p = _TOKEN_PREFIX[purpose]
    return {"Update": {"TableName": _table(), "Key": _user_key(user_id),
                       "UpdateExpression": f"SET {p}Hash = :h, {p}ExpiresAt = :exp",
                       "ConditionExpression": "attribute_exists(pk) AND email = :to",
                       "ExpressionAttributeValues": {":h": {"S": issued.token_hash},
                                                     ":exp": {"N": str(issued.expires_at)}, ":to": {"S": to}}}}


def store_token(user_id: str, purpose: str, issued: Issued, to: str) -> bool:
    """The same, on its own; False if the user no longer exists or has another address now."""
    return update_if(**token_op(user_id, purpose, issued, to)["Update"])


# --- email changes: both addresses (issue 23) -------------------------------------------------------


def request_email_change(user: User, new_email: str, confirm: Issued, approve: Issued, approved: bool,
                         also: list[dict] | tuple = ()) -> bool:
    """A pending change to `new_email` (replacing, and so voiding, any before it): the new address's
    confirmation token, the current address's approval token and, with `approved`, the approval
    already given (an address never verified has nothing to approve with). False if the user is gone
    or their address changed meanwhile."""
    return update_if(also=also, TableName=_table(), Key=_user_key(user.id),
                     UpdateExpression="SET pendingEmail = :new, emailTokenHash = :ch, emailTokenExpiresAt = :cexp, "
                                      "approveTokenHash = :ah, approveTokenExpiresAt = :aexp, "
                                      "emailChangeApproved = :approved, emailChangeConfirmed = :no",
                     ConditionExpression="attribute_exists(pk) AND email = :old",
                     ExpressionAttributeValues={
                         ":new": {"S": new_email}, ":old": {"S": user.email}, ":no": {"BOOL": False},
                         ":ch": {"S": confirm.token_hash}, ":cexp": {"N": str(confirm.expires_at)},
                         ":ah": {"S": approve.token_hash}, ":aexp": {"N": str(approve.expires_at)},
                         ":approved": {"BOOL": approved}})


def _other_half(purpose: str) -> str:
    """The flag of the email change's other link: confirming waits on the approval, and back."""
    return "emailChangeApproved" if purpose == CHANGE_EMAIL else "emailChangeConfirmed"


def record_email_change_half(user_id: str, purpose: str, token_hash: str, new_email: str, now: int,
                             also: list[dict] | tuple = ()) -> bool:
    """One of the change's two links came back while the other has not: the confirmation is spent, an
    approval is kept (its link still cancels). False if the token was refused or the other half
    arrived meanwhile (then this one completes the change)."""
    p = _TOKEN_PREFIX[purpose]
    own = "emailChangeConfirmed" if purpose == CHANGE_EMAIL else "emailChangeApproved"
    spend = f" SET {p}Spent = :h, {own} = :yes REMOVE {p}Hash, {p}ExpiresAt" if purpose == CHANGE_EMAIL \
        else f" SET {own} = :yes"
    return update_if(also=also, TableName=_table(), Key=_user_key(user_id), UpdateExpression=spend.strip(),
                     ConditionExpression=f"{p}Hash = :h AND {p}ExpiresAt > :now AND pendingEmail = :new "
                                         f"AND {_other_half(purpose)} = :no",
                     ExpressionAttributeValues={":h": {"S": token_hash}, ":now": {"N": str(now)},
                                                ":new": {"S": new_email}, ":yes": {"BOOL": True},
                                                ":no": {"BOOL": False}})


def cancel_email_change(user_id: str, token_hash: str, now: int, also: list[dict] | tuple = ()) -> bool:
    """The current address's link cancels the pending change; False if it was refused."""
    return update_if(also=also, TableName=_table(), Key=_user_key(user_id),
                     UpdateExpression=f"SET approveTokenSpent = :h REMOVE {', '.join(_PENDING_CHANGE)}",
                     ConditionExpression="approveTokenHash = :h AND approveTokenExpiresAt > :now",
                     ExpressionAttributeValues={":h": {"S": token_hash}, ":now": {"N": str(now)}})


def void_email_change(user_id: str) -> bool:
    """Voids the user's pending email change, if any; False if none."""
    return update_if(TableName=_table(), Key=_user_key(user_id),
                     UpdateExpression=f"REMOVE {', '.join(_PENDING_CHANGE)}",
                     ConditionExpression="attribute_exists(pendingEmail)")


def _spend_token(user_id: str, purpose: str, token_hash: str, now: int, also_set: str = "",
                 also_remove: str = "", also_condition: str = "", values: dict | None = None) -> dict:
    """Spends the live token of `purpose` if it is `token_hash` and unexpired, with other changes to the
    user item; the condition refuses a second use (or a newer token's arrival) under races."""
    p = _TOKEN_PREFIX[purpose]
    return {"Update": {
        "TableName": _table(), "Key": _user_key(user_id),
        "UpdateExpression": f"SET {p}Spent = :h{also_set} REMOVE {p}Hash, {p}ExpiresAt{also_remove}",
        "ConditionExpression": f"{p}Hash = :h AND {p}ExpiresAt > :now{also_condition}",
        "ExpressionAttributeValues": {":h": {"S": token_hash}, ":now": {"N": str(now)}, **(values or {})}}}


def get_user_with_tokens(user_id: str) -> tuple[User, Tokens] | None:
    """The user and their one-time tokens: one read, never the TOTP secrets or the password hash."""
    item = client.get_item(TableName=_table(), Key=_user_key(user_id), ConsistentRead=True, **_WITH_TOKENS).get("Item")
    return (_user(from_item(item)), _tokens(from_item(item))) if item else None


def get_account(user_id: str) -> tuple[User, TwoFactor, Tokens] | None:
    """The whole user item: the user, their two-factor state and their tokens (for a password reset,
    which checks a second factor)."""
    item = client.get_item(TableName=_table(), Key=_user_key(user_id), ConsistentRead=True).get("Item")
    if not item:
        return None
    values = from_item(item)
    return _user(values), _two_factor(values), _tokens(values)


def find_user_id(email: str) -> str | None:
    """Whose account an email is, reading only the user id (never the password hash)."""
    item = client.get_item(TableName=_table(), Key=_credentials_key(email),
                           ConsistentRead=True, **_projection(declared.CREDENTIALS_READ_USER_ID)).get("Item")
    return item["userId"]["S"] if item else None


def verify_email(user_id: str, token_hash: str, now: int, also: list[dict] | tuple = ()) -> bool:
    """Marks the email verified, spending the verification token (with `also`: its audit event); False
    if the token was refused."""
    return update_if(also=also, **_spend_token(user_id, VERIFY_EMAIL, token_hash, now, ", emailVerified = :yes",
                                    values={":yes": {"BOOL": True}})["Update"])


_RESET_CLEANUP = ("resetCleanupHash", "resetCleanupAt", "resetCleanupReclaims")


def reset_password_ops(user: User, password_hash: str, token_hash: str, now: int, *, reclaim: bool,
                       remove_factor_enabled_at: int | None = None) -> list[dict]:
    """A password reset as transaction items: the new hash, the reset token spent, the address verified
    (the token came back from it), every pending-2FA token issued until now void, a pending email
    change void, the marker of the cleanup still to do (the token's hash, the time, and whether it
    `reclaim`s the account: `finish_reset` removes it); with `remove_factor_enabled_at`, the second
    factor turned on then taken off (if it is still that one)."""
    also_set = (", emailVerified = :yes, signedOutAt = :now, resetCleanupHash = :h, resetCleanupAt = :now, "
                "resetCleanupReclaims = :reclaim")
    also_remove, also_condition = "".join(f", {name}" for name in _PENDING_CHANGE), ""
    values = {":yes": {"BOOL": True}, ":reclaim": {"BOOL": reclaim}}
    if remove_factor_enabled_at is not None:
        also_set += ", totpEnabled = :off"
        also_remove += f", {_FACTOR_ATTRIBUTES}, totpUnfinished"
        # A factor bound before its time was stored (0) is one without the attribute.
        also_condition = " AND totpEnabled = :on AND " + (
            "totpEnabledAt = :enabledAt" if remove_factor_enabled_at else "attribute_not_exists(totpEnabledAt)")
        values.update({":off": {"BOOL": False}, ":on": {"BOOL": True},
                       **({":enabledAt": {"N": str(remove_factor_enabled_at)}} if remove_factor_enabled_at else {})})
    return [
        {"Update": {"TableName": _table(), "Key": _credentials_key(user.email),
                    "UpdateExpression": "SET passwordHash = :ph", "ConditionExpression": "userId = :uid",
                    "ExpressionAttributeValues": {":ph": {"S": password_hash}, ":uid": {"S": user.id}}}},
        _spend_token(user.id, RESET_PASSWORD, token_hash, now, also_set, also_remove, also_condition, values),
    ]


def finish_reset(user_id: str, token_hash: str) -> None:
    """The reset's cleanup is done: its marker goes (unless a newer reset's stands)."""
    update_if(TableName=_table(), Key=_user_key(user_id), UpdateExpression=f"REMOVE {', '.join(_RESET_CLEANUP)}",
              ConditionExpression="resetCleanupHash = :h", ExpressionAttributeValues={":h": {"S": token_hash}})


def set_password_hash(user: User, password_hash: str, also: list[dict] | tuple = ()) -> bool:
    """A password change (with `also`: its audit event); False if the email no longer belongs to the
    user (it changed meanwhile)."""
    return update_if(also=also, TableName=_table(), Key=_credentials_key(user.email),
                     UpdateExpression="SET passwordHash = :ph", ConditionExpression="userId = :uid",
                     ExpressionAttributeValues={":ph": {"S": password_hash}, ":uid": {"S": user.id}})


def put_import_job(job: dict, prefix: str = declared.IMPORT_JOB) -> None:
    """An import (or export) job's record (`jobId`, its counts and refusals), written once."""
    client.put_item(TableName=_table(), Item=to_item({"pk": f"{prefix}{job['jobId']}", **job}),
                    ConditionExpression="attribute_not_exists(pk)")


IMPORT_MOVED_ON = "import moved on"  # an import's checkpoint refused: another worker is past it


def import_checkpoint_op(job_id: str, at: int, to: int, lines: int, counts: dict, refusals: list[dict],
                         now: str) -> Labelled:
    """A transaction item: the import job from S3 moves from byte `at` to byte `to` (line `lines`), its
    counts (`received`, `created`, `skipped`, `refused`) raised and `refusals` added; refused
    (IMPORT_MOVED_ON) unless the job is still at `at`. With the user a line creates, in one transaction:
    the user exists exactly when the checkpoint after its line does."""
    names = {"#s": "status", "#b": "bytesRead", **{f"#{k}": k for k in counts}}
    values = to_item({":at": at, ":to": to, ":lines": lines, ":running": "running", ":now": now,
                      ":refusals": refusals, **{f":{k}": n for k, n in counts.items()}})
    raised = ", ".join(f"#{k} = #{k} + :{k}" for k in counts)
    return labelled(IMPORT_MOVED_ON, {"Update": {
        "TableName": _table(), "Key": {"pk": {"S": f"{declared.IMPORT_JOB}{job_id}"}},
        "UpdateExpression": f"SET #b = :to, linesRead = :lines, #s = :running, updatedAt = :now, {raised}, "
                            "refusals = list_append(refusals, :refusals)",
        "ConditionExpression": "#b = :at", "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}})


def finish_import(job_id: str, at: int, status: str, now: str, error: str = "") -> bool:
    """The import job from S3 done (`succeeded`, or `failed` with `error`) while still at byte `at`."""
    return update_if(TableName=_table(), Key={"pk": {"S": f"{declared.IMPORT_JOB}{job_id}"}},
                     UpdateExpression="SET #s = :status, updatedAt = :now, #e = :error",
                     ConditionExpression="bytesRead = :at",
                     ExpressionAttributeNames={"#s": "status", "#e": "error"},
                     ExpressionAttributeValues=to_item({":status": status, ":now": now, ":error": error, ":at": at}))


def organization_for_key(key: str) -> str | None:
    """The organization an import's organization key became here, if one did."""
    item = client.get_item(TableName=_table(), Key={"pk": {"S": f"{declared.ORGANIZATION_KEY}{key}"}},
                           ConsistentRead=True).get("Item")
    return item["organizationId"]["S"] if item else None


def organization_key_op(key: str, organization_id: str) -> dict:
    """A transaction item: `key` (an imported organization's id elsewhere) names `organization_id` here."""
    return _put_new({"pk": f"{declared.ORGANIZATION_KEY}{key}", "organizationId": organization_id})


def put_export_job(job: dict) -> None:
    put_import_job(job, declared.EXPORT_JOB)


def get_export_job(job_id: str) -> dict | None:
    item = client.get_item(TableName=_table(), Key={"pk": {"S": f"{declared.EXPORT_JOB}{job_id}"}},
                           ConsistentRead=True).get("Item")
    return {k: v for k, v in from_item(item).items() if k != "pk"} if item else None


class Exported(NamedTuple):
    user: User
    password_hash: str
    sealed_totp: str  # "" unless two-factor sign-in is on
    organization_name: str
    passkeys: list[dict]  # each passkey's credential id, name, public key (COSE, base64url) and counter
    identities: list[dict]  # each linked identity's provider, subject, the address it gave and when, oldest first


def export_all() -> list[Exported]:
    """Every user with their password hash and sealed TOTP secret: one Scan of the table (all pages);
    each organization's admins before its members (an import reads them in that order)."""
    users, hashes, organizations = [], {}, {}
    params: dict[str, Any] = {"TableName": _table(), "ConsistentRead": True}
    while True:
        page = client.scan(**params)
        for item in (from_item(i) for i in page.get("Items", [])):
            if item["pk"].startswith(declared.USER):
                users.append(item)
            elif item["pk"].startswith(declared.CREDENTIALS) and "passwordHash" in item:
                hashes[item["userId"]] = item["passwordHash"]
            elif item["pk"].startswith(declared.ORGANIZATION):
                organizations[item["organizationId"]] = item.get("name", "")
        if "LastEvaluatedKey" not in page:
            break
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return [Exported(_user(u), hashes.get(u["userId"], ""), u.get("totpSecret", "") if u.get("totpEnabled") else "",
                     organizations.get(u["organizationId"], ""),
                     [{"id": p.id, "name": p.name, "publicKey": p.public_key, "signCount": int(p.sign_count),
                       "createdAt": p.created_at, "backedUp": p.backed_up} for p in _passkeys(u)],
                     sorted(({"provider": i["provider"], "subject": i["subject"], "email": i.get("email", ""),
                              "linkedAt": i["linkedAt"]} for i in u.get("identities", {}).values()),
                            key=lambda i: i["linkedAt"]))
            for u in sorted(users, key=lambda u: (u.get("role") != ADMIN, u["userId"]))]  # admins first


def get_import_job(job_id: str) -> dict | None:
    item = client.get_item(TableName=_table(), Key={"pk": {"S": f"{declared.IMPORT_JOB}{job_id}"}},
                           ConsistentRead=True).get("Item")
    if not item:
        return None
    job = {k: v for k, v in from_item(item).items() if k != "pk"}
    return {**job, "refusals": [{"line": int(r["line"]), "reason": r["reason"]} for r in job.get("refusals", [])]}


def replace_password_hash(email: str, old_hash: str, new_hash: str) -> bool:
    """An imported hash replaced by Latchkey's own after its first right password; False (nothing
    written) if the hash changed meanwhile."""
    return update_if(TableName=_table(), Key=_credentials_key(email), UpdateExpression="SET passwordHash = :new",
                     ConditionExpression="passwordHash = :old",
                     ExpressionAttributeValues={":new": {"S": new_hash}, ":old": {"S": old_hash}})


def change_email(user: User, new_email: str, purpose: str, token_hash: str, now: int,
                 also: list[dict] | tuple = ()) -> None:
    """Completes an email change with the second of its two links (`purpose`: the confirmation or the
    approval, the other one already in): moves the account to `new_email` at once, as registration
    claims an email: the old address's credentials item goes, the new one is claimed (EmailTaken if
    someone has it; it keeps the organization, as registration wrote it), and the user item takes the
    address (verified: a link came back from it), spending the token, with `also` (its audit event).
    Every live link mailed to the old address (verification, reset) dies with the move.
    TransactionCancelled (for the token, or a concurrent change) if anything else refused."""
    old_key = _credentials_key(user.email)
    credentials = client.get_item(TableName=_table(), Key=old_key, ConsistentRead=True).get("Item")
    if credentials is None or credentials["userId"]["S"] != user.id:
        raise TransactionCancelled([REFUSED], [CREDENTIALS])  # as the transaction would be, unsent
    items = [
        labelled(CREDENTIALS, {"Delete": {
            "TableName": _table(), "Key": old_key, "ConditionExpression": "userId = :uid AND passwordHash = :ph",
            "ExpressionAttributeValues": {":uid": {"S": user.id}, ":ph": credentials["passwordHash"]}}}),
        labelled(NEW_CREDENTIALS, _put_new({
            "pk": _credentials_pk(new_email), "userId": user.id,
            "passwordHash": credentials["passwordHash"]["S"], _CREDENTIALS_ORGANIZATION: user.organization_id})),
        labelled(USER, _complete_change_op(user, new_email, purpose, token_hash, now)),
        *also,
    ]
    try:
        transact(items)
    except TransactionCancelled as cancelled:
        if cancelled.refused(NEW_CREDENTIALS):
            raise EmailTaken() from None
        raise


def _complete_change_op(user: User, new_email: str, purpose: str, token_hash: str, now: int) -> dict:
    p = _TOKEN_PREFIX[purpose]
    return {"Update": {
        "TableName": _table(), "Key": _user_key(user.id),
        "UpdateExpression": f"SET email = :new, emailVerified = :yes, {p}Spent = :h "
                            f"REMOVE {', '.join((*_PENDING_CHANGE, *_OLD_ADDRESS_LINKS))}",
        "ConditionExpression": f"{p}Hash = :h AND {p}ExpiresAt > :now AND email = :old AND pendingEmail = :new "
                               f"AND {_other_half(purpose)} = :yes",
        "ExpressionAttributeValues": {":h": {"S": token_hash}, ":now": {"N": str(now)}, ":new": {"S": new_email},
                                      ":old": {"S": user.email}, ":yes": {"BOOL": True}}}}


def delete_account_ops(user: User, identities: list[Identity], organization_too: bool,
                       code: dict | None = None) -> list[Labelled]:
    """The account's items as transaction deletes: credentials (CREDENTIALS: the email is free again),
    the user (USER: with their two-factor data and tokens, while they still have the role read and
    no identity linked since `identities` was read, and, with `code` (what `spend_code_op` takes),
    while that code is unspent: the deletion spends it), the linked identities' IDP# items (a
    provider's sign-in then starts afresh) and, when they were its last member, the organization
    (ORGANIZATION); else, for an admin, the organization's admin count less one (ADMIN_COUNT: its
    refusal means they are its last admin now: a racing demotion of the other admin won)."""
    unchanged, values = _identities_unchanged(identities)
    condition, values = f"attribute_exists(pk) AND #role = :role AND {unchanged}", {":role": {"S": user.role},
                                                                                    **values}
    if code:
        unspent, code_values = _code_unspent(**code)
        condition, values = f"{condition} AND {unspent}", values | code_values
    items = [
        labelled(CREDENTIALS, {"Delete": {
            "TableName": _table(), "Key": _credentials_key(user.email),
            "ConditionExpression": "userId = :uid", "ExpressionAttributeValues": {":uid": {"S": user.id}}}}),
        labelled(USER, {"Delete": {
            "TableName": _table(), "Key": _user_key(user.id), "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#role": "role"}, "ExpressionAttributeValues": values}}),
        *_identity_deletes(user.id, identities),
    ]
    if organization_too:
        items.append(labelled(ORGANIZATION, {"Delete": {"TableName": _table(),
                                                        "Key": _organization_key(user.organization_id)}}))
    elif user.role == ADMIN:
        items.append(labelled(ADMIN_COUNT, _admin_count_op(user.organization_id, -1)))
    return items


# --- passwordless sign-in (issue 28) ---------------------------------------------------------------
# A magic link is a one-time token of its own purpose on the user item (above). A sign-in code lives on
# the email's credentials item (`signInCodeHash`, `signInCodeExpiresAt`): the item a code's email
# names, so checking a code reads one item whether or not the email has an account, never the
# password hash.


class HeldCode(NamedTuple):
    user_id: str
    organization_id: str
    code_hash: str  # "" when no code is live
    expires_at: int


def find_sign_in_code(email: str) -> HeldCode | None:
    """The email's account and its live sign-in code (one read), or None if the email has no account."""
    item = client.get_item(TableName=_table(), Key=_credentials_key(email),
                           ConsistentRead=True,
                           **_projection(declared.CREDENTIALS_READ_SIGN_IN_CODE)).get("Item")
    if not item:
        return None
    values = from_item(item)
    return HeldCode(values["userId"], values.get(_CREDENTIALS_ORGANIZATION, ""), values.get("signInCodeHash", ""),
                    values.get("signInCodeExpiresAt", 0))


def store_sign_in_code(email: str, user_id: str, code_hash: str, expires_at: int) -> bool:
    """A new sign-in code for the email's account (voiding the one before); False if the email is no
    longer that user's."""
    return update_if(TableName=_table(), Key=_credentials_key(email),
                     UpdateExpression="SET signInCodeHash = :h, signInCodeExpiresAt = :exp",
                     ConditionExpression="userId = :uid",
                     ExpressionAttributeValues={":h": {"S": code_hash}, ":exp": {"N": str(expires_at)},
                                                ":uid": {"S": user_id}})


def spend_sign_in_code_op(email: str, code_hash: str, now: int) -> dict:
    """Spends the email's live sign-in code if it is `code_hash` and unexpired, as a transaction item:
    it works once, even under races."""
    return {"Update": {"TableName": _table(), "Key": _credentials_key(email),
                       "UpdateExpression": "REMOVE signInCodeHash, signInCodeExpiresAt",
                       "ConditionExpression": "signInCodeHash = :h AND signInCodeExpiresAt > :now",
                       "ExpressionAttributeValues": {":h": {"S": code_hash}, ":now": {"N": str(now)}}}}


def address_verified_op(user: User) -> dict:
    """Marks the user's address verified (a sign-in code came back from it), as a transaction item that
    holds only while the user still has the address and role read (the sign-in's session carries it)."""
    return {"Update": {"TableName": _table(), "Key": _user_key(user.id), "UpdateExpression": "SET emailVerified = :yes",
                       "ConditionExpression": "email = :email AND #role = :role",
                       "ExpressionAttributeNames": {"#role": "role"},
                       "ExpressionAttributeValues": {":yes": {"BOOL": True}, ":email": {"S": user.email},
                                                     ":role": {"S": user.role}}}}


def spend_magic_link_op(user: User, token_hash: str, now: int) -> dict:
    """Spends a magic link's token and marks the address verified (the link came back from it), as a
    transaction item that holds only while the user still has the address and role read."""
    op = _spend_token(user.id, MAGIC_LINK, token_hash, now, ", emailVerified = :yes",
                      also_condition=" AND email = :email AND #role = :role",
                      values={":yes": {"BOOL": True}, ":email": {"S": user.email}, ":role": {"S": user.role}})
    op["Update"]["ExpressionAttributeNames"] = {"#role": "role"}
    return op


# --- passkeys: a map on the user item, by credential id ---------------------------------------------
# `passkeys.<credential id>` = {name, publicKey, signCount, createdAt, lastUsedAt, backedUp}. On the
# user item, so a discoverable sign-in (whose passkey names the user) finds it with the user in one read,
# and an account's deletion takes its passkeys with it.


class Passkey(NamedTuple):
    id: str  # the credential id, base64url
    name: str
    public_key: str
    sign_count: int
    created_at: str
    last_used_at: str | None
    backed_up: bool

    def public(self) -> dict:
        return {"id": self.id, "name": self.name, "createdAt": self.created_at, "lastUsedAt": self.last_used_at,
                "backedUp": self.backed_up}


def _passkeys(values: dict) -> list[Passkey]:
    return sorted((Passkey(id=cid, name=p["name"], public_key=p["publicKey"], sign_count=p["signCount"],
                           created_at=p["createdAt"], last_used_at=p.get("lastUsedAt"),
                           backed_up=p.get("backedUp", False))
                   for cid, p in values.get("passkeys", {}).items()), key=lambda p: p.created_at)


def get_user_and_passkeys(user_id: str) -> tuple[User, list[Passkey]] | None:
    """The user and their passkeys: one read, never the password hash or the TOTP secrets."""
    item = client.get_item(TableName=_table(), Key=_user_key(user_id), ConsistentRead=True,
                           **_projection(USER_WITH_PASSKEYS)).get("Item")
    if not item:
        return None
    values = from_item(item)
    return _user(values), _passkeys(values)


def has_passkeys(user_id: str) -> bool:
    item = client.get_item(TableName=_table(), Key=_user_key(user_id), ConsistentRead=True,
                           ProjectionExpression="passkeys").get("Item") or {}
    return bool(item.get("passkeys", {}).get("M"))


def add_passkey(user_id: str, passkey: Passkey, also: list[dict] | tuple = ()) -> bool:
    """Stores a new passkey (with `also`, its audit event); False if the user is gone or already holds it."""
    value = {"name": passkey.name, "publicKey": passkey.public_key, "signCount": passkey.sign_count,
             "createdAt": passkey.created_at, "backedUp": passkey.backed_up}
    # A map's member can be set only once the map exists: made empty first (a no-op after the first).
    update_if(TableName=_table(), Key=_user_key(user_id),
              ConditionExpression="attribute_exists(pk) AND attribute_not_exists(passkeys)",
              UpdateExpression="SET passkeys = :empty", ExpressionAttributeValues={":empty": {"M": {}}})
    return update_if(
        also=also, TableName=_table(), Key=_user_key(user_id),
        ConditionExpression="attribute_exists(pk) AND attribute_not_exists(passkeys.#cid)",
        UpdateExpression="SET passkeys.#cid = :passkey", ExpressionAttributeNames={"#cid": passkey.id},
        ExpressionAttributeValues={":passkey": to_item({"v": value})["v"]})


def rename_passkey(user_id: str, credential_id: str, name: str) -> bool:
    return update_if(TableName=_table(), Key=_user_key(user_id), ConditionExpression="attribute_exists(passkeys.#cid)",
                     UpdateExpression="SET passkeys.#cid.#name = :name",
                     ExpressionAttributeNames={"#cid": credential_id, "#name": "name"},
                     ExpressionAttributeValues={":name": {"S": name}})


def remove_passkey(user_id: str, credential_id: str, also: list[dict] | tuple = ()) -> bool:
    return update_if(also=also, TableName=_table(), Key=_user_key(user_id),
                     ConditionExpression="attribute_exists(passkeys.#cid)", UpdateExpression="REMOVE passkeys.#cid",
                     ExpressionAttributeNames={"#cid": credential_id})


def passkey_used_op(user_id: str, passkey: Passkey, new_count: int, at: str, role: str) -> dict:
    """The passkey's counter moves to `new_count` and it was used `at`, as a transaction item whose
    condition holds the stored counter to what was checked (a racing use of a clone loses) and the user
    to their role (as `unchanged_member_op`)."""
    return {"Update": {
        "TableName": _table(), "Key": _user_key(user_id),
        "ConditionExpression": "passkeys.#cid.signCount = :old AND #role = :role",
        "UpdateExpression": "SET passkeys.#cid.signCount = :new, passkeys.#cid.lastUsedAt = :at",
        "ExpressionAttributeNames": {"#cid": passkey.id, "#role": "role"},
        "ExpressionAttributeValues": {":old": {"N": str(passkey.sign_count)}, ":new": {"N": str(new_count)},
                                      ":at": {"S": at}, ":role": {"S": role}}}}


# --- linked identities (federation) -------------------------------------------------------------------
# `IDP#<provider>#<subject>` = {userId, identityId}: what a federated sign-in finds its user by (one
# read). On the user item, `identities.<id>` = {provider, subject, email, linkedAt}: what the user lists
# and unlinks, read with the user (and their passkeys: the other ways to sign in).


class Identity(NamedTuple):
    id: str  # idn_…
    provider: str
    subject: str
    email: str
    linked_at: str

    def stored(self) -> dict:
        return {"provider": self.provider, "subject": self.subject, "email": self.email, "linkedAt": self.linked_at}

    def public(self) -> dict:
        return {"id": self.id, "provider": self.provider, "email": self.email, "linkedAt": self.linked_at}


def _identity_pk(provider: str, subject: str) -> str:
    return f"{declared.IDENTITY}{provider}#{subject}"


def _identity_put(user: User, identity: Identity) -> dict:
    return _put_new({"pk": _identity_pk(identity.provider, identity.subject), "userId": user.id,
                     "identityId": identity.id, "identityOrganizationId": user.organization_id})


def find_identity(provider: str, subject: str) -> str | None:
    """The id of the user this provider's identity signs in, if it is linked (one read)."""
    item = client.get_item(TableName=_table(), Key={"pk": {"S": _identity_pk(provider, subject)}},
                           ConsistentRead=True).get("Item")
    return item["userId"]["S"] if item else None


class SignInMethods(NamedTuple):
    user: User
    passkeys: int
    identities: list[Identity]


def get_user_and_sign_in_methods(user_id: str) -> SignInMethods | None:
    """The user, how many passkeys they have and their linked identities (oldest first): one read,
    never the password hash or the TOTP secrets."""
    item = client.get_item(TableName=_table(), Key=_user_key(user_id), ConsistentRead=True,
                           **_projection(declared.USER_READ_WITH_SIGN_IN_METHODS)).get("Item")
    if not item:
        return None
    values = from_item(item)
    identities = sorted((Identity(iid, v["provider"], v["subject"], v.get("email", ""), v["linkedAt"])
                         for iid, v in values.get("identities", {}).items()), key=lambda i: i.linked_at)
    return SignInMethods(_user(values), len(values.get("passkeys", {})), identities)


def _identities_unchanged(identities: list[Identity]) -> tuple[str, dict]:
    """A condition on the user item: as many identities linked as `identities` (read before), so one
    linked meanwhile fails the deletion (and its retry deletes it too) rather than outlive it."""
    return "(attribute_not_exists(identities) OR size(identities) = :identities)", {
        ":identities": {"N": str(len(identities))}}


def _identity_deletes(user_id: str, identities: list[Identity]) -> list[dict]:
    """The IDP# items of the user's linked identities, deleted; one unlinked meanwhile is no refusal."""
    return [{"Delete": {"TableName": _table(), "Key": {"pk": {"S": _identity_pk(i.provider, i.subject)}},
                        "ConditionExpression": "attribute_not_exists(pk) OR userId = :user",
                        "ExpressionAttributeValues": {":user": {"S": user_id}}}} for i in identities]


def clear_sign_in_methods(user: User, identities: list[Identity], also: list[dict] | tuple = ()) -> None:
    """Removes every passkey and linked identity of the user (the user item's maps and the identities'
    IDP# items) with `also`, at once. TransactionCancelled if an identity was linked meanwhile (its
    retry removes it too)."""
    unchanged, values = _identities_unchanged(identities)
    transact([{"Update": {"TableName": _table(), "Key": _user_key(user.id),
                          "ConditionExpression": f"attribute_exists(pk) AND {unchanged}",
                          "UpdateExpression": "REMOVE passkeys, identities", "ExpressionAttributeValues": values}},
              *_identity_deletes(user.id, identities), *also])


def forget_identity(provider: str, subject: str, user_id: str) -> None:
    """Deletes an IDP# item whose user is gone (left by a deletion from before identities went with
    their account); kept if it names another user by now."""
    try:
        client.delete_item(TableName=_table(), Key={"pk": {"S": _identity_pk(provider, subject)}},
                           ConditionExpression="userId = :user", ExpressionAttributeValues={":user": {"S": user_id}})
    except client.exceptions.ConditionalCheckFailedException:
        pass


def link_identity(user: User, identity: Identity, also: list[dict] | tuple = ()) -> None:
    """Links the identity to the user (its IDP# item and the user's entry, with `also`, at once):
    IdentityLinkedElsewhere if another user (or this one) has it already; a user gone meanwhile is a
    TransactionCancelled naming USER."""
    # A map's member can be set only once the map exists: made empty first (a no-op after the first).
    update_if(TableName=_table(), Key=_user_key(user.id),
              ConditionExpression="attribute_exists(pk) AND attribute_not_exists(identities)",
              UpdateExpression="SET identities = :empty", ExpressionAttributeValues={":empty": {"M": {}}})
    try:
        transact([labelled(IDENTITY, _identity_put(user, identity)),
                  labelled(USER, {"Update": {
                      "TableName": _table(), "Key": _user_key(user.id),
                      "ConditionExpression": "attribute_exists(identities) AND organizationId = :org",
                      "UpdateExpression": "SET identities.#iid = :identity",
                      "ExpressionAttributeNames": {"#iid": identity.id},
                      "ExpressionAttributeValues": {":identity": to_item({"v": identity.stored()})["v"],
                                                    ":org": {"S": user.organization_id}}}}),
                  *also])
    except TransactionCancelled as cancelled:
        if cancelled.refused(IDENTITY):
            raise IdentityLinkedElsewhere() from None
        raise


def unlink_identity(user: User, identity: Identity, keep: tuple[str, ...], password_needed: bool,
                    also: list[dict] | tuple = ()) -> bool:
    """Removes the identity (its IDP# item and the user's entry, with `also`, at once). False if it is
    gone already. Two conditions keep the account a way in, checked in the write so a racing unlink
    cannot win too: the identities in `keep` still linked, and, with `password_needed`, a password set
    on the credentials item (its hash not empty: checked there, never read); LastSignInMethod if not."""
    kept = [f"attribute_exists(identities.#k{i})" for i in range(len(keep))]
    names = {"#iid": identity.id, **{f"#k{i}": k for i, k in enumerate(keep)}}
    password = [labelled(PASSWORD_SET, {"ConditionCheck": {
        "TableName": _table(), "Key": _credentials_key(user.email), "ConditionExpression": "size(passwordHash) > :none",
        "ExpressionAttributeValues": {":none": {"N": "0"}}}})] if password_needed else []
    try:
        transact([{"Delete": {"TableName": _table(),
                              "Key": {"pk": {"S": _identity_pk(identity.provider, identity.subject)}},
                              "ConditionExpression": "userId = :user",
                              "ExpressionAttributeValues": {":user": {"S": user.id}}}},
                  {"Update": {"TableName": _table(), "Key": _user_key(user.id),
                              "ConditionExpression": " AND ".join(["attribute_exists(identities.#iid)", *kept]),
                              "UpdateExpression": "REMOVE identities.#iid", "ExpressionAttributeNames": names}},
                  *password, *also])
    except TransactionCancelled as cancelled:
        if cancelled.refused(PASSWORD_SET):
            raise LastSignInMethod() from None
        return False  # gone already (or the identity counted on went meanwhile)
    return True
