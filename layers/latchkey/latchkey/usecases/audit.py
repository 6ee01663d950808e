"""The audit trail: one append-only record per security event, and who may read which.

A use case asks `item(...)` for its event as a transaction item and writes it in the same DynamoDB
transaction as the change it describes, so no change goes unrecorded and no event describes a
change that did not happen; where the change is not a DynamoDB write of ours (a wrong password or
code), `record(...)` puts the event alone. Who acted, from where, and the request
id come from `begin`, which the edge calls once per request (a container serves one at a time).
Each record: type, organization, the user it is about, actor (`user:<id>`, `key:<id>`, `iam:<ARN>` or
`anonymous`), subject, reason (a stable code), source IP, user agent, request id, time.
"""

from __future__ import annotations

import secrets
import time
from typing import NamedTuple

from latchkey.errors import AdminOnly, ValidationFailed
from latchkey.rules import clock, ids
from latchkey.rules.records import ADMIN, Client, Principal
from latchkey.settings import get_settings

SIGN_IN_SUCCEEDED = "auth.sign_in.succeeded"
SIGN_IN_FAILED = "auth.sign_in.failed"
LOCKOUT = "auth.lockout"
TWO_FACTOR_SET_UP = "auth.2fa.set_up"
TWO_FACTOR_ENABLED = "auth.2fa.enabled"
TWO_FACTOR_DISABLED = "auth.2fa.disabled"
RECOVERY_CODE_USED = "auth.2fa.recovery_code_used"
REFRESH_REUSE = "session.refresh_reuse_detected"
LOGOUT = "session.logout"
LOGOUT_ALL = "session.logout_all"
SESSION_REVOKED = "session.revoked"
API_KEY_CREATED = "api_key.created"
API_KEY_REVOKED = "api_key.revoked"
API_KEY_FIRST_USED = "api_key.first_used"
ORGANIZATION_SETTINGS_CHANGED = "organization.settings_changed"
# The account flows' (recovery.py, password_reset.py, account_changes.py) and the team flows' (invitations.py,
# members.py).
PASSWORD_RESET = "account.password_reset"
PASSWORD_CHANGED = "account.password_changed"
EMAIL_VERIFIED = "account.email_verified"
EMAIL_CHANGED = "account.email_changed"
EMAIL_CHANGE_REQUESTED = "account.email_change.requested"
EMAIL_CHANGE_APPROVED = "account.email_change.approved"
EMAIL_CHANGE_CONFIRMED = "account.email_change.confirmed"
EMAIL_CHANGE_CANCELLED = "account.email_change.cancelled"
MEMBER_INVITED = "member.invited"
MEMBER_JOINED = "member.joined"
MEMBER_ROLE_CHANGED = "member.role_changed"
MEMBER_REMOVED = "member.removed"
PASSKEY_ADDED = "auth.passkey.added"
PASSKEY_REMOVED = "auth.passkey.removed"
PASSKEY_CLONE_DETECTED = "auth.passkey.clone_detected"
IDENTITY_LINKED = "auth.identity.linked"
IDENTITY_UNLINKED = "auth.identity.unlinked"
# The admin API's (operators.py): its actor is the IAM principal, `iam:<ARN>`.
ACCOUNT_CREATED = "account.created"
ACCOUNT_DISABLED = "account.disabled"
ACCOUNT_ENABLED = "account.enabled"
ACCOUNT_DELETED = "account.deleted"
APP_REGISTERED = "app.registered"
APP_UPDATED = "app.updated"
APP_DELETED = "app.deleted"
APP_SECRET_ROTATED = "app.secret_rotated"
APP_SECRET_VOIDED = "app.secret_voided"  # its creator's access ended (apps.end_apps_of)
APP_LOGOUT = "session.app_logout"  # an app's RP-initiated logout (oauth.end_session)

# Every event type, with the words a person reads for it (the dashboard's filter lists these, from
# dashboard/audit-events.json, which `python -m contract` writes from here).
LABELS = {
    SIGN_IN_SUCCEEDED: "Signed in", SIGN_IN_FAILED: "Sign-in failed", LOCKOUT: "Account locked",
    TWO_FACTOR_SET_UP: "Two-factor set up started", TWO_FACTOR_ENABLED: "Two-factor turned on",
    TWO_FACTOR_DISABLED: "Two-factor turned off", RECOVERY_CODE_USED: "Recovery code used",
    REFRESH_REUSE: "Stolen session detected", LOGOUT: "Signed out", LOGOUT_ALL: "Signed out everywhere",
    SESSION_REVOKED: "Session ended", API_KEY_CREATED: "API key created", API_KEY_REVOKED: "API key revoked",
    API_KEY_FIRST_USED: "API key first used", ORGANIZATION_SETTINGS_CHANGED: "Organization settings changed",
    PASSWORD_RESET: "Password reset", PASSWORD_CHANGED: "Password changed", EMAIL_VERIFIED: "Email verified",
    EMAIL_CHANGED: "Email changed", EMAIL_CHANGE_REQUESTED: "Email change requested",
    EMAIL_CHANGE_APPROVED: "Email change approved by the current address",
    EMAIL_CHANGE_CONFIRMED: "Email change confirmed by the new address",
    EMAIL_CHANGE_CANCELLED: "Email change cancelled",
    MEMBER_INVITED: "Member invited", MEMBER_JOINED: "Member joined",
    MEMBER_ROLE_CHANGED: "Member's role changed", MEMBER_REMOVED: "Member removed",
    PASSKEY_ADDED: "Passkey added", PASSKEY_REMOVED: "Passkey removed",
    PASSKEY_CLONE_DETECTED: "Cloned passkey refused",
    IDENTITY_LINKED: "Sign-in provider linked", IDENTITY_UNLINKED: "Sign-in provider unlinked",
    ACCOUNT_CREATED: "Account created by an operator", ACCOUNT_DISABLED: "Account disabled by an operator",
    ACCOUNT_ENABLED: "Account enabled by an operator", ACCOUNT_DELETED: "Account deleted by an operator",
    APP_REGISTERED: "OAuth app registered", APP_UPDATED: "OAuth app changed", APP_DELETED: "OAuth app deleted",
    APP_SECRET_ROTATED: "OAuth app secret rotated", APP_SECRET_VOIDED: "OAuth app secret voided",
    APP_LOGOUT: "Signed out by an app",
}
TYPES = tuple(LABELS)

# The events that are also counted as CloudWatch metrics (name, and the dimension taken from the reason).
_METRICS = {SIGN_IN_SUCCEEDED: "SignInSucceeded", SIGN_IN_FAILED: "SignInFailed", LOCKOUT: "Lockouts",
            REFRESH_REUSE: "RefreshReuse", API_KEY_CREATED: "ApiKeysCreated", API_KEY_REVOKED: "ApiKeysRevoked"}

NO_ORGANIZATION = "-"  # a failed sign-in for an email with no account: kept, but in no organization


class _Request(NamedTuple):
    request_id: str = ""
    source_ip: str = ""
    user_agent: str = ""
    actor: str = "anonymous"


_request = _Request()


def begin(request_id: str, client: Client, actor: str) -> None:
    """Who is acting in this request, from where: the edge's call, once per request."""
    global _request
    _request = _Request(request_id, client.source_ip, client.user_agent, actor or "anonymous")


def actor_of(principal: Principal) -> str:
    return f"key:{principal.token_id}" if principal.kind == "api_key" else f"user:{principal.user_id}"


def event(event_type: str, *, organization_id: str, user_id: str = "", subject: str = "", reason: str = "",
          actor: str = "") -> dict:
    """The record of one event (before it is written)."""
    now = clock.now()
    return {
        "organizationId": organization_id or NO_ORGANIZATION,
        "eventId": _event_id(),
        "type": event_type,
        "userId": user_id or None,
        "actor": actor or _request.actor,
        "subject": subject or (f"user:{user_id}" if user_id else ""),
        "reason": reason or None,
        "sourceIp": _request.source_ip,
        "userAgent": _request.user_agent,
        "requestId": _request.request_id,
        "at": now,
        "expiresAt": now + get_settings().audit_retention_days * 86400,
    }


def _event_id() -> str:
    """`evt_` + microseconds + 40 random bits (24 hex digits, as every id): two events of one
    request, a few microseconds apart, still sort in the order they happened."""
    return f"evt_{time.time_ns() // 1000:014x}{secrets.token_hex(5)}"


def item(event_type: str, **fields: str) -> dict:
    """The event as a transaction item: write it with the change it describes."""
    from latchkey.store import audit_events_table

    record = event(event_type, **fields)
    _count(record)
    return audit_events_table.put_op(record)


def record(event_type: str, **fields: str) -> None:
    """The event written alone: for what is not a DynamoDB write of ours."""
    from latchkey.store import audit_events_table

    written = event(event_type, **fields)
    audit_events_table.put(written)
    _count(written)


def _count(record: dict) -> None:
    name = _METRICS.get(record["type"])
    if name:
        from latchkey.store import metrics

        metrics.count(name, **({"Reason": record["reason"]} if record["type"] == SIGN_IN_FAILED else {}))


def list_page(principal: Principal, event_type: str | None, user_id: str | None, limit: int,
              cursor: str | None) -> tuple[list[dict], str | None]:
    """Newest first. Admins read their organization's events (or one user's, with `user_id`);
    members only their own. Another organization's events are never read."""
    from latchkey.store import audit_events_table

    if event_type is not None and event_type not in TYPES:
        raise ValidationFailed("Query parameter type is invalid",
                               details=[{"field": "type", "message": "must be one of the audit event types"}])
    if principal.role != ADMIN or principal.kind == "api_key":
        if user_id not in (None, principal.user_id):
            raise AdminOnly("Only organization admins can read other users' events")
        user_id = principal.user_id
    if user_id is not None and not ids.is_id(user_id, ids.USER):
        return [], None
    return audit_events_table.page(principal.organization_id, user_id, event_type, limit, cursor)


def public(record: dict) -> dict:
    """An event as the API shows it."""
    return {"id": record["eventId"], "type": record["type"], "at": clock.iso(record["at"]),
            "userId": record.get("userId"), "actor": record["actor"], "subject": record.get("subject", ""),
            "reason": record.get("reason"), "sourceIp": record.get("sourceIp", ""),
            "userAgent": record.get("userAgent", ""), "requestId": record.get("requestId", "")}
