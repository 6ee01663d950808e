"""The domain's records. Plain data: no AWS, no HTTP.

Records (here and across the layer) are `typing.NamedTuple`s: immutable like a frozen dataclass,
but a class costs about 0.3 ms to define instead of 1.5-1.9 ms (a dataclass compiles six methods),
and the authorizer alone imports seventeen of them at every cold start (`make bench`).
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

from latchkey.errors import ValidationFailed
from latchkey.rules.clock import iso

ADMIN = "ADMIN"
MEMBER = "MEMBER"
ROLES = (ADMIN, MEMBER)  # an organization's roles: admins manage it, members read and keep their own keys
DEFAULT_PLAN = "STARTER"


class Principal(NamedTuple):
    """Who the authorizer let in, as it put it in `requestContext.authorizer`."""

    kind: str  # "user" (a JWT) or "api_key"
    user_id: str
    organization_id: str
    role: str
    session_id: str = ""
    token_id: str = ""
    token_expires_at: int = 0
    scopes: tuple[str, ...] = ()
    auth_time: int = 0  # when the user last proved who they are (an access token's auth_time); 0 for keys
    source_ip: str = ""  # the request's TCP peer: a password checked on a signed-in route counts against it


class ApiKey(NamedTuple):
    """An API key / personal access token, as stored: its SHA-256, never the key."""

    id: str
    key_hash: str
    organization_id: str
    name: str
    scopes: tuple[str, ...]
    role: str  # the creator's role when the key was made
    created_by: str
    created_at: int
    prefix: str
    last4: str
    expires_at: int = 0  # 0: never
    revoked_at: int = 0
    last_used_at: int = 0

    def public(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "scopes": list(self.scopes),
            "prefix": self.prefix,
            "last4": self.last4,
            "createdBy": self.created_by,
            "createdAt": iso(self.created_at),
            "lastUsedAt": iso(self.last_used_at) if self.last_used_at else None,
            "expiresAt": iso(self.expires_at) if self.expires_at else None,
            "revokedAt": iso(self.revoked_at) if self.revoked_at else None,
        }


class Organization(NamedTuple):
    id: str
    name: str
    created_at: str
    result_redirect_url: str | None = None

    def public(self) -> dict:
        return {"id": self.id, "name": self.name, "createdAt": self.created_at,
                "resultRedirectUrl": self.result_redirect_url}




class User(NamedTuple):
    id: str
    email: str
    name: str
    role: str
    plan: str
    organization_id: str
    created_at: str
    two_factor_enabled: bool = False
    signed_out_at: int = 0  # the last "sign out everywhere": pending-2FA tokens issued until then are void
    email_verified: bool = False  # a link sent to `email` came back (verification, a reset or an email change)
    pending_email: str = ""  # an email change waiting on its links (both addresses)
    disabled: bool = False  # an operator disabled the account: no sign-in, no refresh (the admin API)

    def public(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "role": self.role,
            "plan": self.plan,
            "organizationId": self.organization_id,
            "twoFactorEnabled": self.two_factor_enabled,
            "emailVerified": self.email_verified,
        }

    def as_operators_see(self) -> dict:
        """The user as the admin API shows them to the service's operators."""
        return {**self.public(), "disabled": self.disabled, "createdAt": self.created_at}

    def account(self) -> dict:
        """The user as `me` shows them to themselves: with the address an email change waits on."""
        return {**self.public(), "pendingEmail": self.pending_email or None}

    def as_member(self) -> dict:
        """The user as their organization's member list shows them."""
        return {"id": self.id, "name": self.name, "email": self.email, "role": self.role,
                "twoFactorEnabled": self.two_factor_enabled, "createdAt": self.created_at}


class Invitation(NamedTuple):
    """An invitation to join an organization, as stored: the SHA-256 of its token's secret, never the token."""

    id: str
    organization_id: str
    email: str
    role: str
    token_hash: str
    status: str  # "pending", "accepted", "revoked" or "replaced" (by a newer invitation of the address)
    invited_by: str
    created_at: int
    expires_at: int

    def is_pending(self, now: int) -> bool:
        return self.status == "pending" and now < self.expires_at

    def public(self) -> dict:
        return {"id": self.id, "email": self.email, "role": self.role, "invitedBy": self.invited_by,
                "createdAt": iso(self.created_at), "expiresAt": iso(self.expires_at)}


PUBLIC_APP, CONFIDENTIAL_APP = "public", "confidential"  # OAuth client types (RFC 6749 2.1)


class App(NamedTuple):
    """An OAuth app registered by an organization, as stored: its id is its `client_id`; a confidential
    app's secret is kept as its SHA-256 only (shown once, at creation or rotation)."""

    id: str
    organization_id: str
    name: str
    type: str  # PUBLIC_APP or CONFIDENTIAL_APP
    redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...]  # the organization's API scopes it may be granted
    first_party: bool  # the organization's own app: its users are not asked to consent
    created_by: str
    created_at: int
    secret_hash: str = ""  # "" for a public app
    secret_rotated_at: int = 0
    post_logout_redirect_uris: tuple[str, ...] = ()  # where its logout may send the browser back (exactly)

    def public(self) -> dict:
        return {"clientId": self.id, "name": self.name, "type": self.type, "redirectUris": list(self.redirect_uris),
                "postLogoutRedirectUris": list(self.post_logout_redirect_uris),
                "scopes": list(self.scopes), "firstParty": self.first_party, "createdBy": self.created_by,
                "createdAt": iso(self.created_at),
                "secretRotatedAt": iso(self.secret_rotated_at) if self.secret_rotated_at else None}


class Client(NamedTuple):
    """Where a sign-in came from, as shown in the session list."""

    user_agent: str = ""
    source_ip: str = ""


class Session(NamedTuple):
    """A refresh family: one sign-in, its current refresh token generation, and whether it still lives.

    `expires_at` is absolute (sign-in + the refresh lifetime): rotation never extends it.
    """

    id: str
    user_id: str
    organization_id: str
    role: str
    generation: int
    token_id: str  # jti of the current generation's refresh token
    issued_at: int  # iat of that token: with token_id it re-mints the identical token
    previous_token_id: str
    rotated_at: int
    created_at: int
    last_used_at: int
    expires_at: int
    user_agent: str
    source_ip: str
    revoked_at: int = 0
    revoked_reason: str = ""
    auth_time: int = 0  # the last time the user proved who they are in this session (sign-in, reauthenticate)
    amr: tuple[str, ...] = ("pwd",)  # how (RFC 8176): "pwd", plus "otp" for a TOTP or recovery code
    last_ip: str = ""  # the address of the latest sign-in or refresh (source_ip stays the sign-in's)
    client_id: str = ""  # an OAuth app's sign-in: the app (its tokens name it, and only it may refresh them)
    scope: str = ""  # and the scope the user granted it
    browser_session_id: str = ""  # and the hosted page's session that granted it (RP-initiated logout ends both)

    def is_live(self, now: int) -> bool:
        return not self.revoked_at and now < self.expires_at

    def public(self, current_session_id: str) -> dict:
        return {
            "id": self.id,
            "createdAt": iso(self.created_at),
            "lastUsedAt": iso(self.last_used_at),
            "expiresAt": iso(self.expires_at),
            "userAgent": self.user_agent,
            "sourceIp": self.source_ip,
            "lastIp": self.last_ip or self.source_ip,
            "current": self.id == current_session_id,
        }


def normalize_email(email: str) -> str:
    """The key under which an email is unique: Unicode-normalized (NFKC, so composed and decomposed
    forms are one address) and case-folded; surrounding blanks ignored."""
    normalized = unicodedata.normalize("NFKC", email.strip()).casefold()
    if len(normalized.encode()) > 320:  # NFKC can expand a character eighteenfold; keys must stay small
        raise ValidationFailed(details=[{"field": "email", "message": "is too long once normalized"}])
    return normalized
