"""API keys / personal access tokens: created by signed-in users, scoped, bound to the creator's
organization and role, shown once, stored hashed, revocable; and how the authorizer accepts one.

Rule for plain members: they may create keys with read scopes only (a write scope needs an
organization admin), and revoke only keys they created; admins revoke any key of the organization.
"""

from __future__ import annotations

from latchkey.errors import (
    AccountDisabled,
    AdminOnly,
    ApiKeyExpired,
    ApiKeyNotFound,
    ApiKeyRevoked,
    InvalidApiKey,
    InvalidExpiry,
    InvalidScope,
    ServiceUnavailable,
)
from latchkey.rules import api_key_format, clock, ids
from latchkey.rules.records import ADMIN, ApiKey, Principal
from latchkey.rules.scopes import API_KEY, SCOPES, WRITE_SCOPES
from latchkey.store import accounts_table, api_keys_table
from latchkey.store.dynamodb import TransactionCancelled
from latchkey.usecases import audit, mail

LAST_USED_EVERY = 60  # seconds: a busy key costs one write a minute, not one per request


def create(principal: Principal, name: str, scopes: list[str], expires_at: int | None) -> tuple[ApiKey, str]:
    """The new key's record and the key itself (returned to the caller once, never stored)."""
    unknown = [s for s in scopes if s not in SCOPES]
    if not scopes or unknown:
        raise InvalidScope(
            f"Unknown scope '{unknown[0]}'; scopes are {', '.join(SCOPES)}" if unknown
            else f"At least one scope is required; scopes are {', '.join(SCOPES)}"
        )
    if principal.role != ADMIN and WRITE_SCOPES.intersection(scopes):
        raise AdminOnly("Only organization admins can create keys with write scopes")
    now = clock.now()
    if expires_at is not None and expires_at <= now + 60:
        raise InvalidExpiry()
    secret = api_key_format.generate()
    prefix, last4 = api_key_format.display_parts(secret)
    key = ApiKey(
        id=ids.new_id(ids.API_KEY),
        key_hash=api_key_format.hash_key(secret),
        organization_id=principal.organization_id,
        name=name,
        scopes=tuple(dict.fromkeys(scopes)),
        role=principal.role,
        created_by=principal.user_id,
        created_at=now,
        prefix=prefix,
        last4=last4,
        expires_at=expires_at or 0,
    )
    try:
        api_keys_table.create(key, also=[_event(audit.API_KEY_CREATED, key, principal),
                                         accounts_table.enabled_user_op(principal.user_id)])
    except TransactionCancelled as cancelled:
        if cancelled.refused(accounts_table.USER_ENABLED):
            raise AccountDisabled() from None  # disabled while this request was under way
        raise
    mail.notify_user(principal.user_id, "notice.api-key-created", keyName=name)
    return key, secret


def list_for(principal: Principal) -> list[ApiKey]:
    return sorted(api_keys_table.list_for_organization(principal.organization_id), key=lambda k: k.id)


def revoke(principal: Principal, key_id: str) -> None:
    key = api_keys_table.find_in_organization(principal.organization_id, key_id) if ids.is_id(
        key_id, ids.API_KEY) else None
    if key is None or key.revoked_at:
        raise ApiKeyNotFound()
    if principal.role != ADMIN and key.created_by != principal.user_id:
        raise AdminOnly("Only organization admins can revoke other members' keys")
    if not api_keys_table.revoke(key, clock.now(), also=[_event(audit.API_KEY_REVOKED, key, principal)]):
        raise ApiKeyNotFound()


def _event(event_type: str, key: ApiKey, principal: Principal | None = None) -> dict:
    """The key's event; the actor is `principal`, or without one the request's (a reset, a deletion)."""
    return audit.item(event_type, organization_id=key.organization_id, user_id=key.created_by,
                      subject=f"key:{key.id}", actor=audit.actor_of(principal) if principal else "")


def revoke_created_by(principal: Principal) -> int:
    """Revokes every live key the caller created (part of "sign out everywhere" when asked); keys
    other members created stay. Returns how many."""
    return revoke_keys_of(principal.organization_id, principal.user_id)


def revoke_keys_of(organization_id: str, user_id: str | None = None, *, write_scoped_only: bool = False) -> int:
    """Revokes every live key of the organization that `user_id` created (every one, with None; with
    `write_scoped_only`, those holding a write scope: what only an admin could create): a password
    reset of a never-verified address, an account or organization deleted, a member demoted or
    removed. Returns how many."""
    now = clock.now()
    return sum(api_keys_table.revoke(key, now, also=[_event(audit.API_KEY_REVOKED, key)])
               for key in api_keys_table.list_for_organization(organization_id)
               if (user_id is None or key.created_by == user_id) and not key.revoked_at
               and (not write_scoped_only or WRITE_SCOPES.intersection(key.scopes)))


def authenticate(secret: str) -> Principal:
    """For the authorizer: the principal a key acts as. A malformed key costs no DynamoDB call."""
    if not api_key_format.is_well_formed(secret):
        raise InvalidApiKey("API key is malformed")
    key = api_keys_table.get_by_hash(api_key_format.hash_key(secret))
    if key is None:
        raise InvalidApiKey("Unknown API key")
    now = clock.now()
    if key.revoked_at:
        raise ApiKeyRevoked()
    if key.expires_at and now >= key.expires_at:
        raise ApiKeyExpired()
    if now - key.last_used_at > LAST_USED_EVERY:
        # The first use is an audit event, written with the first "last used" (both or neither).
        first_use = [] if key.last_used_at else [audit.item(
            audit.API_KEY_FIRST_USED, organization_id=key.organization_id, user_id=key.created_by,
            subject=f"key:{key.id}", actor=f"key:{key.id}")]
        try:
            api_keys_table.touch(key.key_hash, now, LAST_USED_EVERY, also=first_use)
        except ServiceUnavailable:
            pass  # "last used" is advisory: a busy table must not refuse a valid key (a Deny is a 401)
    return Principal(kind=API_KEY, user_id=key.created_by, organization_id=key.organization_id, role=key.role,
                     token_id=key.id, scopes=key.scopes)
