"""Accounts: sign-up, sign-in and the current user."""

from __future__ import annotations

from latchkey import clock, ids, passwords, sessions
from latchkey.errors import InvalidCredentials, NotFound
from latchkey.models import ADMIN, DEFAULT_PLAN, Client, Organization, User
from latchkey.store import accounts as accounts_table


def register(
    email: str, password: str, name: str, organization_name: str | None, client: Client
) -> sessions.SignedIn:
    """Creates the user and an organization they administer, and signs them in."""
    created_at = clock.iso()
    organization = Organization(
        id=ids.new_id(ids.ORGANIZATION),
        name=organization_name or f"{name}'s organization",
        created_at=created_at,
    )
    user = User(
        id=ids.new_id(ids.USER),
        email=email.strip(),
        name=name,
        role=ADMIN,
        plan=DEFAULT_PLAN,
        organization_id=organization.id,
        password_hash=passwords.hash_password(password),
        created_at=created_at,
    )
    accounts_table.create_user_with_organization(user, organization)
    return sessions.start(user, client)


def login(email: str, password: str, client: Client) -> sessions.SignedIn:
    """Signs in; the same refusal, body and hashing cost whether the email is unknown or the password wrong."""
    user = accounts_table.find_user_by_email(email)
    if not passwords.verify_password(user.password_hash if user else None, password):
        raise InvalidCredentials()
    return sessions.start(user, client)


def current_user(user_id: str) -> User:
    user = accounts_table.get_user(user_id)
    if user is None:
        raise NotFound("User no longer exists", code="USER_NOT_FOUND")
    return user
