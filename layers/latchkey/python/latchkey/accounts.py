"""Accounts: sign-up, sign-in and the current user."""

from __future__ import annotations

from dataclasses import dataclass

from latchkey import clock, ids, passwords, sessions, tokens
from latchkey.errors import AccountLocked, InvalidCredentials, NotFound
from latchkey.keys import token_context
from latchkey.models import ADMIN, DEFAULT_PLAN, Client, Organization, User, normalize_email
from latchkey.settings import get_settings
from latchkey.store import accounts as accounts_table
from latchkey.store import dynamodb
from latchkey.store import rate_limits as rate_limits_table


def register(
    email: str, password: str, name: str, organization_name: str | None, client: Client
) -> sessions.SignedIn:
    """Creates the user and an organization they administer, and signs them in."""
    token_context()  # before writing anything: if the key store is down, fail with nothing created
    email, name = email.strip(), name.strip()
    created_at = clock.iso()
    organization = Organization(
        id=ids.new_id(ids.ORGANIZATION),
        name=organization_name.strip() if organization_name else f"{name}'s organization",
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


@dataclass(frozen=True)
class PendingTwoFactor:
    """Login's answer when the password was right and a second factor is due."""

    pending_token: str

    def body(self) -> dict:
        return {"requires2FA": True, "pendingToken": self.pending_token}


def login(email: str, password: str, client: Client) -> sessions.SignedIn | PendingTwoFactor:
    """Signs in. An unknown email and a wrong password get the same refusal after the same work (one
    batched read, one full argon2 verification, one failure counted against the email), and lock
    the same way: lockout never tells whether an account exists."""
    now = clock.now()
    email_key = normalize_email(email)
    credentials_item, lockout_item = dynamodb.get_many(
        [accounts_table.credentials_key(email), rate_limits_table.lockout_key(email_key)])
    lockout = rate_limits_table.lockout_from(lockout_item, now)
    if lockout.locked(now):
        raise AccountLocked(retry_after=lockout.locked_until - now)
    credentials = accounts_table.credentials_from(credentials_item)
    if not passwords.verify_password(credentials.password_hash if credentials else None, password):
        record_failure(email_key, now)
        raise InvalidCredentials()
    user = current_user(credentials.user_id)
    if user.two_factor_enabled:
        # Not signed in yet: the failure count stands until the second factor succeeds too.
        pending, _ = tokens.issue(token_context(), tokens.PENDING_2FA, get_settings().pending_2fa_ttl, now=now,
                                  sub=user.id)
        return PendingTwoFactor(pending)
    if lockout.failures:
        rate_limits_table.clear_failures(email_key)
    return sessions.start(user, client)


def record_failure(email_key: str, now: int) -> None:
    """A failed password or second factor, counted toward the email's lockout."""
    settings = get_settings()
    rate_limits_table.record_failure(email_key, now, settings.lockout_threshold, settings.lockout_seconds)


def current_user(user_id: str) -> User:
    user = accounts_table.get_user(user_id)
    if user is None:
        raise NotFound("User no longer exists", code="USER_NOT_FOUND")
    return user
