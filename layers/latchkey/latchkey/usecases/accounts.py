"""Accounts: sign-up, sign-in and the current user."""

from __future__ import annotations

from typing import NamedTuple

from latchkey.errors import AccountLocked, InvalidCredentials, UserNotFound
from latchkey.rules import clock, ids, passwords, tokens
from latchkey.rules.records import ADMIN, DEFAULT_PLAN, Client, Organization, User, normalize_email
from latchkey.settings import get_settings
from latchkey.store import accounts_table, rate_limits_table
from latchkey.store.secrets import signing_context
from latchkey.usecases import audit, sessions


def register(
    email: str, password: str, name: str, organization_name: str | None, client: Client
) -> sessions.SignedIn:
    """Creates the user and an organization they administer, and signs them in."""
    # Before writing anything: if the key store is down, fail with nothing created.
    signing_context(tokens.ACCESS), signing_context(tokens.REFRESH)
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


class PendingTwoFactor(NamedTuple):
    """Login's answer when the password was right and a second factor is due."""

    pending_token: str

    def body(self) -> dict:
        return {"requires2FA": True, "pendingToken": self.pending_token}


def login(email: str, password: str, client: Client) -> sessions.SignedIn | PendingTwoFactor:
    """Signs in. The attempt is counted against the email before the password is checked (so racing
    guesses cannot outrun the lockout), and an unknown email and a wrong password get the same
    refusal after the same work: lockout never tells whether an account exists."""
    now = clock.now()
    email_key = normalize_email(email)
    attempt = begin_attempt(email_key, now)
    credentials = accounts_table.find_credentials(email)
    if not passwords.verify_password(credentials.password_hash if credentials else None, password):
        # The same writes whether or not the account exists: the event of an unknown email is in no
        # organization (and names no email).
        subject = {"organization_id": credentials.organization_id, "user_id": credentials.user_id} if credentials \
            else {"organization_id": ""}
        audit.record(audit.SIGN_IN_FAILED, reason=InvalidCredentials.code, **subject)
        fail_attempt(email_key, attempt, now, **subject)
        raise InvalidCredentials()
    user = current_user(credentials.user_id)
    if user.two_factor_enabled:
        # Not signed in yet: this attempt stops counting, the failures before it still do.
        rate_limits_table.release_attempt(email_key)
        pending, _ = tokens.issue(signing_context(tokens.PENDING_2FA), tokens.PENDING_2FA,
                                  get_settings().pending_2fa_ttl, now=now, sub=user.id)
        return PendingTwoFactor(pending)
    return sessions.start(user, client, also=[rate_limits_table.clear_attempts_op(email_key)])


def begin_attempt(email_key: str, now: int) -> rate_limits_table.Attempt:
    """Counts a sign-in attempt (password or second factor) against the email; 423 while it is locked."""
    settings = get_settings()
    attempt = rate_limits_table.begin_attempt(email_key, now, settings.lockout_threshold, settings.lockout_seconds)
    if not attempt.allowed:
        raise AccountLocked(retry_after=attempt.retry_after)
    return attempt


def fail_attempt(email_key: str, attempt: rate_limits_table.Attempt, now: int, *, organization_id: str,
                 user_id: str = "") -> None:
    """The attempt's secret was wrong: the threshold-th wrong one locks the email (and says so in the
    audit trail of the account's organization, if there is an account)."""
    settings = get_settings()
    if attempt.count >= settings.lockout_threshold:
        rate_limits_table.lock(email_key, now, settings.lockout_seconds, also=[audit.item(
            audit.LOCKOUT, organization_id=organization_id, user_id=user_id, reason=AccountLocked.code)])


def check_password(user: User, password: str) -> bool:
    credentials = accounts_table.find_credentials(user.email)
    return passwords.verify_password(credentials.password_hash if credentials else None, password)


def current_user(user_id: str) -> User:
    user = accounts_table.get_user(user_id)
    if user is None:
        raise UserNotFound()
    return user
