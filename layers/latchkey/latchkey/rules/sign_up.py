"""What a sign-up creates, in one place: with a password (register), a passwordless first sign-in
(PasswordlessSignUp) and a provider's first sign-in (federation). Pure: the stores write it."""

from __future__ import annotations

from latchkey.rules import ids
from latchkey.rules.clock import iso
from latchkey.rules.records import ADMIN, DEFAULT_PLAN, Organization, User


def new_account(email: str, name: str, organization_name: str | None = None, *,
                email_verified: bool = False) -> tuple[User, Organization]:
    """A user administering a new organization, "<name>'s organization" unless it is named."""
    created_at = iso()
    organization = Organization(id=ids.new_id(ids.ORGANIZATION), name=organization_name or f"{name}'s organization",
                                created_at=created_at)
    user = User(id=ids.new_id(ids.USER), email=email, name=name, role=ADMIN, plan=DEFAULT_PLAN,
                organization_id=organization.id, created_at=created_at, email_verified=email_verified)
    return user, organization
