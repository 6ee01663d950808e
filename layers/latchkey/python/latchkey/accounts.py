"""Accounts: sign-up, sign-in and the current user."""

from __future__ import annotations

from latchkey import clock, ids, passwords, sessions
from latchkey.errors import InvalidCredentials, NotFound
from latchkey.models import ADMIN, DEFAULT_PLAN, Client, Organization, User
from latchkey.signing_keys import token_context
from latchkey.store import accounts as accounts_table


def register(
    email: str, password: str, name: str, organization_name: str | None, client: Client
) -> sessions.SignedIn:
    """Creates the user and an organization they administer, and signs them in."""
    token_context()  # before writing anything: if the key store is down, fail with nothing created
    created_at = clock.iso()
    organization = Organization(
        id=ids.new_id(ids.ORGANIZATION),
        name=organization_name or f"{name}'s organization",
        created_at=created_at,
    )
    user = User(
        id=ids.new_id(ids.USER),
        email=email,
        name=name,
        role=ADMIN,
        plan=DEFAULT_PLAN,
        organization_id=organization.id,
        created_at=created_at,
    )
    accounts_table.create_user_with_organization(user, passwords.hash_password(password), organization)
    return sessions.start(user, client)


def login(email: str, password: str, client: Client) -> sessions.SignedIn:
    """Signs in. An unknown email and a wrong password get the same refusal after the same work: one
    read, one full argon2 verification."""
    credentials = accounts_table.find_credentials(email)
    if not passwords.verify_password(credentials.password_hash if credentials else None, password):
        raise InvalidCredentials()
    return sessions.start(current_user(credentials.user_id), client)


def current_user(user_id: str) -> User:
    user = accounts_table.get_user(user_id)
    if user is None:
        raise NotFound("User no longer exists", code="USER_NOT_FOUND")
    return user
