"""Signing out everywhere (logout-all): a flow on the sessions, accounts and API keys use cases."""

from __future__ import annotations

from typing import NamedTuple

from latchkey.rules import clock
from latchkey.rules.records import Principal
from latchkey.store import accounts_table
from latchkey.usecases import accounts, api_keys, audit, sessions


class SignedOutEverywhere(NamedTuple):
    sessions_revoked: int
    api_keys_revoked: int | None  # None: keys were left alone (not asked)


def everywhere(principal: Principal, revoke_api_keys: bool = False) -> SignedOutEverywhere:
    """Signs the caller out everywhere: if asked, every live API key the caller created is revoked
    (keys other members created are theirs, and stay); a pending email change is void; pending-2FA
    tokens issued until now stop working; every live session ends.

    Safe to send again after a 503: each step may be repeated, sessions that already ended are
    skipped, and the caller's own session is ended last (in the last transaction), so while any
    session is still live the same access token can repeat logout-all to finish it."""
    now = clock.now()
    keys = api_keys.revoke_created_by(principal) if revoke_api_keys else None
    accounts.void_email_change(principal.user_id, principal.organization_id, "LOGOUT_ALL")
    accounts_table.mark_signed_out(principal.user_id, now, also=[audit.item(
        audit.LOGOUT_ALL, organization_id=principal.organization_id, user_id=principal.user_id)])
    ended = sessions.end_sessions(principal.user_id, "logout-all", now, last=principal.session_id)
    return SignedOutEverywhere(ended, keys)
