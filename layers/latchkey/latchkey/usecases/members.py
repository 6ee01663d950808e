"""Members of an organization: who they are, their roles, and what an admin may do to them (change a
role, remove them, end their sessions). Who may call what is the route map's (admins only for every
change); here: another organization's user id is never found, and the organization keeps an admin.

A role lives on the user item and on each of the user's live sessions: the authorizer reads the
session on every request anyway, so a role change is one rewrite of the user's sessions and counts
from their next request, with no extra read per request.
"""

from __future__ import annotations

from typing import NamedTuple

from latchkey.errors import MemberNotFound, ServiceUnavailable
from latchkey.rules import clock, ids
from latchkey.rules.records import ADMIN, Principal, User
from latchkey.store import accounts_table, invitations_table
from latchkey.store.dynamodb import TransactionCancelled
from latchkey.usecases import api_keys, apps, audit, sessions

_ATTEMPTS = 3  # a change that met another change of the same member reads them again, this often


def list_page(principal: Principal, limit: int, cursor: str | None) -> tuple[list[User], str | None]:
    return accounts_table.list_members_page(principal.organization_id, limit, cursor)


def get(principal: Principal, user_id: str) -> User:
    """A member of the caller's organization; any other id, another organization's included, is 404."""
    user = accounts_table.get_user(user_id) if ids.is_id(user_id, ids.USER) else None
    if user is None or user.organization_id != principal.organization_id:
        raise MemberNotFound()
    return user


def change_role(principal: Principal, user_id: str, role: str) -> User:
    """Sets a member's role (LastAdmin if it would leave no admin). Their live sessions carry it from
    their next request; a demoted admin's keys with a write scope are revoked (read-scope keys stay:
    a member may hold those), and so are the invitations they sent. Sending it again after a 503
    finishes what the first did not: the role is written first, and each step after it finds what is
    left to do from the stored state."""
    for _ in range(_ATTEMPTS):
        user = get(principal, user_id)
        if user.role == role:
            break
        try:
            accounts_table.change_role(user, role, also=[_event(audit.MEMBER_ROLE_CHANGED, principal, user, role)])
        except TransactionCancelled:
            continue  # changed or removed meanwhile: read them again
        break
    else:
        raise ServiceUnavailable()
    sessions.set_role(user.id, role)
    if role != ADMIN:
        api_keys.revoke_keys_of(principal.organization_id, user.id, write_scoped_only=True)
        apps.end_apps_of(principal.organization_id, user.id)  # only an admin could register them
        invitations_table.revoke_sent_by(principal.organization_id, user.id, clock.now())
    return user._replace(role=role)


class Removed(NamedTuple):
    sessions_revoked: int
    api_keys_revoked: int


def remove(principal: Principal, user_id: str) -> Removed:
    """Removes a member (LastAdmin for the last admin, themselves included): their user, credentials
    and linked identities go first, in one transaction, so they can never sign in again and no sign-in in
    flight can start a session (see `sessions.start`); then every live session of theirs ends, every
    key they created is revoked and every invitation they sent is revoked (sessions before keys and
    invitations: a session still live could make one more). After a 503 the same request finds what
    is left of them (their sessions, keys and invitations in this organization) and ends it."""
    if not ids.is_id(user_id, ids.USER):
        raise MemberNotFound()
    for _ in range(_ATTEMPTS):
        found = accounts_table.get_user_and_sign_in_methods(user_id)
        user = found.user if found else None
        if user is None:
            break
        if user.organization_id != principal.organization_id:
            raise MemberNotFound()
        try:
            accounts_table.remove_member(user, found.identities,
                                         also=[_event(audit.MEMBER_REMOVED, principal, user)])
        except TransactionCancelled:
            continue
        break
    else:
        raise ServiceUnavailable()
    now = clock.now()
    ended = sessions.end_sessions(user_id, "removed from the organization", now,
                                  organization_id=principal.organization_id)
    keys = api_keys.revoke_keys_of(principal.organization_id, user_id)
    apps.end_apps_of(principal.organization_id, user_id)
    invitations = invitations_table.revoke_sent_by(principal.organization_id, user_id, now)
    if user is None and not (ended or keys or invitations):
        raise MemberNotFound()
    return Removed(ended, keys)


def _event(event_type: str, principal: Principal, user: User, reason: str = "") -> dict:
    """A change to a member, by an admin: written in the change's transaction."""
    return audit.item(event_type, organization_id=principal.organization_id, user_id=user.id, reason=reason,
                      actor=audit.actor_of(principal))


def end_sessions(principal: Principal, user_id: str) -> int:
    """Ends every live session of a member (the admin's own, if they name themselves); how many."""
    user = get(principal, user_id)
    return sessions.end_sessions(user.id, "ended by an admin", clock.now())

