"""What a signed-in user changes about their own account: password, email, and deleting it. Each is a
step-up route (a sign-in at most ReauthMaxAgeSeconds old) and asks for the password again, counted
against the email's lockout like a sign-in (403 INVALID_PASSWORD when wrong)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from latchkey.errors import EmailTaken, SameEmail, ServiceUnavailable, SessionRevoked, SoleAdmin, UserNotFound
from latchkey.rules import one_time_tokens, passwords
from latchkey.rules.records import ADMIN, Principal, User, normalize_email
from latchkey.settings import get_settings
from latchkey.store import (
    accounts_table,
    dynamodb,
    invitations_table,
    rate_limits_table,
    sessions_table,
)
from latchkey.store.dynamodb import TransactionCancelled
from latchkey.usecases import accounts, api_keys, apps, audit, mail, organizations, sessions, two_factor


def change_password(principal: Principal, current_password: str, new_password: str) -> None:
    """A new password; every other session ends (this one keeps working) and the user gets a notice.

    The password is written last: until then the current password still checks, so after a 503 the
    same request, sent again, ends what is left and then changes it (a retry could not prove the
    current password once it had changed)."""
    user = accounts.current_user(principal.user_id)
    attempt = two_factor.password_again(user, current_password, principal)
    accounts.check_new_password(new_password)
    attempt.succeed()
    accounts.void_email_change(user.id, user.organization_id, "PASSWORD_CHANGED")
    sessions.end_sessions(user.id, "password changed", attempt.now, keep=principal.session_id)
    changed = audit.item(audit.PASSWORD_CHANGED, organization_id=user.organization_id, user_id=user.id)
    if not accounts_table.set_password_hash(user, passwords.hash_password(new_password), also=[changed]):
        raise UserNotFound()
    mail.notify("notice.password-changed", to=user.email, name=user.name)


def change_email(principal: Principal, password: str, new_email: str) -> str:
    """Asks to move the account to `new_email`: a confirmation link goes to it, and the current address
    is told at once, with a link that approves or cancels the change. The account moves once both
    came back (verify-email), not before; an address never verified has nobody to approve, so the
    password given here stands in for its approval (and its link still cancels). A request replaces
    the one before. The address it waits on."""
    user = accounts.current_user(principal.user_id)
    attempt = two_factor.password_again(user, password, principal)
    new_email = new_email.strip()
    if normalize_email(new_email) == normalize_email(user.email):
        raise SameEmail()
    if accounts_table.find_user_id(new_email) is not None:
        raise EmailTaken()  # checked again, atomically, when the change is completed
    attempt.succeed()
    confirm = one_time_tokens.issue(one_time_tokens.CHANGE_EMAIL, user.id, attempt.now)
    approve = one_time_tokens.issue(one_time_tokens.APPROVE_EMAIL, user.id, attempt.now)
    requested = audit.item(audit.EMAIL_CHANGE_REQUESTED, organization_id=user.organization_id, user_id=user.id)
    if not accounts_table.request_email_change(user, new_email, confirm, approve, approved=not user.email_verified,
                                               also=[requested]):
        raise UserNotFound()
    mail.send("account.confirm-new-email", to=new_email, name=user.name, token=confirm.token)
    mail.send("account.approve-email-change" if user.email_verified else "account.email-change-requested",
              to=user.email, name=user.name, newEmail=new_email, token=approve.token)
    return new_email


def delete_account(principal: Principal, password: str, code: str | None) -> None:
    """Deletes the caller's account: password (and a code when two-factor is on) again. The only admin
    of an organization with other members gets 409 until they hand over; an organization whose only
    member leaves goes with its data. The other sessions end, the keys they created (all the
    organization's, with it) and the invitations they sent (all of them, with it) are revoked, then
    the data goes. Safe to send again after a 503: every step may be repeated, and the caller's own
    session ends last, with the account's items, in one transaction, which is also what spends the
    code (checked, not spent, before: a retry can present it again)."""
    user, state = two_factor.user_and_state(principal.user_id)
    attempt = two_factor.password_again(user, password, principal)
    spent = attempt.require_code(user, state, code) if state.enabled else {}
    try:
        remove_account(user, attempt.now, principal.session_id, spent, two_factor.recovery_events(user, spent))
    except UserNotFound:
        raise SessionRevoked() from None  # this session ended (or the account went) meanwhile


def remove_account(user: User, now: int, session_id: str = "", spent: dict | None = None,
                   events: list | tuple = ()) -> None:
    """The account goes, as `delete_account` says (which checked who asks): by its owner (the session
    `session_id` ends last, with the account's items), or by an operator (the admin API: no session of
    theirs). 409 SoleAdmin for the only admin of an organization with other members; UserNotFound when
    the account went meanwhile."""
    others = organizations.other_members(user)
    if others and user.role == ADMIN and not any(member.role == ADMIN for member in others):
        raise SoleAdmin()
    last_member = not others
    accounts.void_email_change(user.id, user.organization_id, "ACCOUNT_DELETED")
    sessions.end_sessions(user.id, "account deleted", now, keep=session_id)
    api_keys.revoke_keys_of(user.organization_id, None if last_member else user.id)
    apps.end_apps_of(user.organization_id, None if last_member else user.id, delete=last_member)
    invitations_table.revoke_sent_by(user.organization_id, None if last_member else user.id, now)
    if last_member:
        for delete_module_data in _organization_deleted_hooks():
            delete_module_data(user.organization_id)
    own_session = [sessions_table.revoke_op(user.id, session_id, "account deleted", now)] if session_id else []
    found = accounts_table.get_user_and_sign_in_methods(user.id)
    identities = found.identities if found else []
    try:
        dynamodb.transact([*accounts_table.delete_account_ops(user, identities, organization_too=last_member,
                                                              code=spent),
                           *own_session, rate_limits_table.clear_attempts_op(normalize_email(user.email)),
                           *events])
    except TransactionCancelled as cancelled:
        # The admin count is in the transaction only for an admin who leaves other members behind.
        if cancelled.refused_only(accounts_table.ADMIN_COUNT):
            raise SoleAdmin() from None  # the other admin was demoted or removed meanwhile
        if cancelled.refused(accounts_table.USER) and accounts_table.get_user(user.id) is not None:
            # role changed, or code spent, meanwhile
            raise ServiceUnavailable("Your account changed while being deleted; send the request again") from None
        raise UserNotFound() from None  # the session ended, or the account went, meanwhile


def _organization_deleted_hooks() -> list[Callable[[str], object]]:
    """What the modules (examples/) delete with an organization: each names a function of its layer,
    which this function has (api/module.py, `on_organization_deleted`). Imported by name: the layer
    knows no module."""
    hooks = []
    for name in get_settings().organization_deleted_hooks:
        module, _, function = name.partition(":")
        hooks.append(getattr(importlib.import_module(module), function))
    return hooks
