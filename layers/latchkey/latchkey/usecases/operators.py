"""The admin API: what the service's operators (AWS IAM principals: the team's own servers and people,
granted by IAM policy, never a Latchkey token or key) do to any user: create, find, disable and enable,
sign out everywhere, delete. Every change is audited with the IAM principal as its actor (the edge's
`audit.begin`).

Disabling marks the user item (`disabled`), then ends every live session and revokes every API key the
user created: the authorizer reads a session or a key on every request (its one DynamoDB read), so
both stop on the next request, and it needs no read of its own for the mark. Sign-in (`sessions.start`,
whose transaction requires the user item unmarked, so a sign-in racing the disable loses) and refresh
read the mark and refuse. Each step may be repeated: a disable that failed half-way (503) finishes when
sent again."""

from __future__ import annotations

from typing import NamedTuple

from latchkey.errors import EmailTaken, OrganizationNotFound, UserNotFound
from latchkey.rules import clock, ids, passwords
from latchkey.rules.records import ADMIN, DEFAULT_PLAN, MEMBER, Organization, Principal, User, normalize_email
from latchkey.rules.scopes import USER
from latchkey.store import accounts_table, dynamodb
from latchkey.usecases import accounts, api_keys, audit, sessions, sign_out


class Ended(NamedTuple):
    """What a disable or a sign-out ended."""

    user: User
    sessions_revoked: int
    api_keys_revoked: int

    def body(self) -> dict:
        return {"user": self.user.as_operators_see(), "sessionsRevoked": self.sessions_revoked,
                "apiKeysRevoked": self.api_keys_revoked}


def create(email: str, name: str, password: str | None, *, email_verified: bool = False,
           organization_id: str | None = None, role: str | None = None) -> User:
    """A new user: in an organization of their own (they administer it), or in `organization_id` with
    `role` (MEMBER unless told). No password: they sign in by link, code or passkey, or reset one. 409
    EMAIL_TAKEN; 404 ORGANIZATION_NOT_FOUND."""
    if password is not None:
        accounts.check_new_password(password)
    email, name = email.strip(), name.strip()
    now_iso = clock.iso()
    role = ADMIN if organization_id is None else role or MEMBER
    user = User(id=ids.new_id(ids.USER), email=email, name=name, role=role, plan=DEFAULT_PLAN,
                organization_id=organization_id or ids.new_id(ids.ORGANIZATION),
                created_at=now_iso, email_verified=email_verified)
    password_hash = passwords.hash_password(password) if password is not None else ""
    created = audit.item(audit.ACCOUNT_CREATED, organization_id=user.organization_id, user_id=user.id)
    if organization_id is None:
        organization = Organization(id=user.organization_id, name=f"{name}'s organization", created_at=now_iso)
        accounts_table.create_user_with_organization(user, password_hash, organization, None, also=[created])
        return user
    try:
        dynamodb.transact([*accounts_table.add_member_ops(user, password_hash), created])
    except dynamodb.TransactionCancelled as cancelled:
        if cancelled.refused(accounts_table.CREDENTIALS):
            raise EmailTaken() from None
        if cancelled.refused(accounts_table.ORGANIZATION):
            raise OrganizationNotFound() from None
        raise
    return user


def get(user_id: str) -> User:
    """404 USER_NOT_FOUND for an id that is no user's (or of no id's shape: no read)."""
    user = accounts_table.get_user(user_id) if ids.is_id(user_id, ids.USER) else None
    if user is None:
        raise UserNotFound("No user has this id")
    return user


def find(email: str) -> User:
    """The user whose address is `email` (any case or Unicode form); 404 USER_NOT_FOUND."""
    user_id = accounts_table.find_user_id(normalize_email(email))
    if user_id is None:
        raise UserNotFound("No user has this address")
    return get(user_id)


def disable(user_id: str) -> Ended:
    """Marks the user disabled, then ends their sessions and revokes the keys they created."""
    user = get(user_id)
    marked = audit.item(audit.ACCOUNT_DISABLED, organization_id=user.organization_id, user_id=user.id)
    if not accounts_table.set_disabled(user.id, True, also=[marked]):
        raise UserNotFound("No user has this id")
    ended = sessions.end_sessions(user.id, "disabled by an operator", clock.now())
    keys = api_keys.revoke_keys_of(user.organization_id, user.id)
    return Ended(user._replace(disabled=True), ended, keys)


def enable(user_id: str) -> User:
    """Lifts the mark: the user may sign in again (their old sessions and keys stay ended)."""
    user = get(user_id)
    enabled = audit.item(audit.ACCOUNT_ENABLED, organization_id=user.organization_id, user_id=user.id)
    if not accounts_table.set_disabled(user.id, False, also=[enabled]):
        raise UserNotFound("No user has this id")
    return user._replace(disabled=False)


def sign_out_everywhere(user_id: str) -> Ended:
    """Signs the user out everywhere, as their own logout-all with `revokeApiKeys` would."""
    user = get(user_id)
    as_user = Principal(kind=USER, user_id=user.id, organization_id=user.organization_id, role=user.role)
    done = sign_out.everywhere(as_user, revoke_api_keys=True)
    return Ended(user, done.sessions_revoked, done.api_keys_revoked or 0)


def delete(user_id: str) -> None:
    """Deletes the account as its owner's delete-account would (409 SOLE_ADMIN for the only admin of an
    organization with other members), audited."""
    from latchkey.usecases import account_changes  # here: only the delete function carries two-factor's layer

    user = get(user_id)
    deleted = audit.item(audit.ACCOUNT_DELETED, organization_id=user.organization_id, user_id=user.id)
    account_changes.remove_account(user, clock.now(), events=[deleted])
