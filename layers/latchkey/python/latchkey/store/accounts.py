"""The accounts table: users (`USER#<id>`), credentials (`EMAIL#<normalized email>`: the user id and
password hash; one item per email is what makes an email unique) and organizations (`ORG#<id>`).

Login reads the credentials item first, and only a correct password reads the user: so an unknown
email and a wrong password cost the same single read before hashing."""

from __future__ import annotations

from dataclasses import dataclass

from latchkey.errors import EmailTaken
from latchkey.models import Organization, User, normalize_email
from latchkey.settings import get_settings
from latchkey.store.dynamodb import cancellation_codes, client, from_item, to_item


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


@dataclass(frozen=True)
class Credentials:
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
            }
        ),
    ]
    for attempt in (1, 2):
        try:
            client.transact_write_items(TransactItems=items)
            return
        except client.exceptions.TransactionCanceledException as error:
            reason = cancellation_codes(error)[:1]
            if reason == ["ConditionalCheckFailed"]:
                raise EmailTaken() from None
            # DynamoDB cancels the loser of two simultaneous sign-ups with TransactionConflict: once
            # more tells a taken email (ConditionalCheckFailed) from a winner that itself failed.
            if reason != ["TransactionConflict"] or attempt == 2:
                raise


def get_user(user_id: str) -> User | None:
    item = client.get_item(TableName=_table(), Key={"pk": {"S": f"USER#{user_id}"}}, ConsistentRead=True).get("Item")
    return _user(from_item(item)) if item else None


def find_credentials(email: str) -> Credentials | None:
    item = client.get_item(
        TableName=_table(), Key={"pk": {"S": f"EMAIL#{normalize_email(email)}"}}, ConsistentRead=True
    ).get("Item")
    return Credentials(item["userId"]["S"], item["passwordHash"]["S"]) if item else None


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
    )
