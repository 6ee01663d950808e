"""The accounts table: users (`USER#<id>`), email claims (`EMAIL#<normalized email>`, which make an
email unique) and organizations (`ORG#<id>`)."""

from __future__ import annotations

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


def create_user_with_organization(user: User, organization: Organization) -> None:
    """Writes the user, their email claim and their organization at once; EmailTaken if the email is
    already claimed. One transaction, so two racing sign-ups can never both win."""
    try:
        client.transact_write_items(
            TransactItems=[
                _put_new({"pk": f"EMAIL#{normalize_email(user.email)}", "userId": user.id}),
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
        )
    except client.exceptions.TransactionCanceledException as error:
        if cancellation_codes(error)[:1] == ["ConditionalCheckFailed"]:
            raise EmailTaken() from None
        raise


def get_user(user_id: str) -> User | None:
    item = client.get_item(TableName=_table(), Key={"pk": {"S": f"USER#{user_id}"}}, ConsistentRead=True).get("Item")
    return _user(from_item(item)) if item else None


def find_user_by_email(email: str) -> User | None:
    claim = client.get_item(
        TableName=_table(), Key={"pk": {"S": f"EMAIL#{normalize_email(email)}"}}, ConsistentRead=True
    ).get("Item")
    return get_user(claim["userId"]["S"]) if claim else None


def _user_attributes(user: User) -> dict:
    return {
        "userId": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "plan": user.plan,
        "organizationId": user.organization_id,
        "passwordHash": user.password_hash,
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
        password_hash=values["passwordHash"],
        created_at=values["createdAt"],
    )
