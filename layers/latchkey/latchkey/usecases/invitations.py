"""Invitations to join an organization: an admin invites an address with a role, the invitee gets an
email whose link carries the token, and accepting it creates their account in that organization.

- The token is `<invitation id>.<secret>` (256 random bits; only the secret's SHA-256 is stored),
  good once, for `invitation_ttl` (7 days). It is never in a response: it travels by email only.
- One organization per user for now: an address that has an account anywhere cannot be invited
  (409), and accepting fails the same way if the address got an account meanwhile.
- Inviting an address again replaces its pending invitation: the earlier token is refused from then
  on (INVITATION_REVOKED).
- Invitation mail has a budget, counted before anything is written: an organization sends at most
  `invitation_emails_per_organization` (200) an hour, and an address gets at most
  `invitation_emails_per_address` (5) a day from all organizations together (fixed windows); past
  either, 429 RATE_LIMITED with Retry-After, and nothing is created or sent.
- Accepting is one transaction (the invitation spent, the email claimed, the user, the
  organization's admin count, the session, and a check that the inviter is still an admin of the
  organization): of any number of parallel accepts one creates the user and the others are refused
  with nothing created. A removed or demoted admin's invitations are revoked with the change, and
  one that is still pending (a fault, or an accept racing the change) is refused as invalid.
"""

from __future__ import annotations

from latchkey.errors import (
    EmailTaken,
    InvalidInvitation,
    InvitationExpired,
    InvitationNotFound,
    InvitationRevoked,
    InvitationUsed,
    OrganizationNotFound,
    RateLimited,
    ServiceUnavailable,
)
from latchkey.rules import clock, ids, passwords, record_tokens, tokens
from latchkey.rules.records import DEFAULT_PLAN, Client, Invitation, Principal, User, normalize_email
from latchkey.settings import get_settings
from latchkey.store import accounts_table, dynamodb, invitations_table, rate_limits_table
from latchkey.store.token_keys import signing_context
from latchkey.usecases import accounts, audit, mail, sessions

_ATTEMPTS = 3  # an invitation that raced another one of the same address reads its pointer again
_ORGANIZATION_WINDOW = 3600  # invitation_emails_per_organization counts an hour
_ADDRESS_WINDOW = 86400  # invitation_emails_per_address counts a day


def invite(principal: Principal, email: str, role: str) -> Invitation:
    """The new pending invitation (it replaces the address's earlier one); the token goes by email."""
    email = email.strip()
    _spend_mail_budget(principal.organization_id, email, clock.now())
    for _ in range(_ATTEMPTS):
        now = clock.now()
        invitation_id = ids.new_id(ids.INVITATION)
        token, token_hash = record_tokens.mint(invitation_id)
        invitation = Invitation(id=invitation_id, organization_id=principal.organization_id, email=email, role=role,
                                token_hash=token_hash, status=invitations_table.PENDING,
                                invited_by=principal.user_id, created_at=now,
                                expires_at=now + get_settings().invitation_ttl)
        previous = invitations_table.pending_id(principal.organization_id, email)
        try:
            dynamodb.transact([accounts_table.email_free_op(email),
                               *invitations_table.create_ops(invitation, previous), audit.item(
                audit.MEMBER_INVITED, organization_id=principal.organization_id, subject=f"invitation:{invitation_id}",
                reason=role, actor=audit.actor_of(principal))])
        except dynamodb.TransactionCancelled as cancelled:
            if cancelled.refused(accounts_table.EMAIL_FREE):
                raise EmailTaken("This address already has an account: one organization per user for now") from None
            continue  # another invitation of the address won meanwhile: replace that one
        send_invitation(invitation, token)
        return invitation
    raise ServiceUnavailable()


def _spend_mail_budget(organization_id: str, email: str, now: int) -> None:
    """Counts one invitation mail against the organization's hourly budget, then the address's daily
    one; 429 past either (an organization over its budget spends nothing of the address's)."""
    settings = get_settings()
    sent, window_end = rate_limits_table.hit("invitation-organization", organization_id, _ORGANIZATION_WINDOW, now)
    if sent > settings.invitation_emails_per_organization:
        raise RateLimited("This organization has sent too many invitations this hour", retry_after=window_end - now)
    sent, window_end = rate_limits_table.hit("invitation-email", normalize_email(email), _ADDRESS_WINDOW, now)
    if sent > settings.invitation_emails_per_address:
        rate_limits_table.release_hit("invitation-organization", organization_id, _ORGANIZATION_WINDOW, now)
        raise RateLimited("This address has been sent too many invitations today", retry_after=window_end - now)


def send_invitation(invitation: Invitation, token: str) -> None:
    """Queues the invitation's email, its link carrying `token` (503 if the queue cannot take it: the
    invitation stands, and inviting the address again sends a new one)."""
    organization = accounts_table.get_organization(invitation.organization_id)
    inviter = accounts_table.get_user(invitation.invited_by)
    mail.send("team.invitation", to=invitation.email, token=token, role=invitation.role.lower(),
              name=inviter.name if inviter else "An admin",
              organization=organization.name if organization else "an organization")


def list_pending(principal: Principal) -> list[Invitation]:
    return invitations_table.list_pending(principal.organization_id, clock.now())


def revoke(principal: Principal, invitation_id: str) -> None:
    """Revokes a pending invitation of the caller's organization; its token is refused from then on."""
    found = invitations_table.get(invitation_id) if ids.is_id(invitation_id, ids.INVITATION) else None
    if found is None or found.organization_id != principal.organization_id or not found.is_pending(clock.now()):
        raise InvitationNotFound()
    try:
        dynamodb.transact(invitations_table.revoke_ops(found))
    except dynamodb.TransactionCancelled:
        raise InvitationNotFound() from None  # accepted, revoked or replaced meanwhile


def accept(token: str, name: str, password: str, client: Client) -> sessions.SignedIn:
    """The invitee's account, in the inviting organization with the invited role and the address
    counted as verified, signed in: exactly login's body. A forged, used, revoked, replaced or
    expired token is refused before any write, one whose inviter is no longer an admin of the
    organization by the transaction (as invalid, like a forged one), and a refusal creates nothing."""
    parsed = record_tokens.parse(token, ids.INVITATION)
    invitation = invitations_table.get(parsed[0]) if parsed else None
    if invitation is None or not record_tokens.matches(invitation.token_hash, parsed[1]):
        raise InvalidInvitation("Invitation token is invalid")
    now = clock.now()
    _refuse_unless_pending(invitation, now)
    accounts.check_new_password(password)  # registration's rule: a common password is refused
    # Before writing anything: if the key store is down, fail with nothing created.
    signing_context(tokens.ACCESS), signing_context(tokens.REFRESH)
    user = User(id=ids.new_id(ids.USER), email=invitation.email, name=name.strip(), role=invitation.role,
                plan=DEFAULT_PLAN, organization_id=invitation.organization_id, created_at=clock.iso(now),
                email_verified=True)  # the invitation's token came back from the address
    also = [*invitations_table.accept_ops(invitation, now),
            *accounts_table.add_member_ops(user, passwords.hash_password(password)),
            audit.item(audit.MEMBER_JOINED, organization_id=user.organization_id, user_id=user.id, reason=user.role,
                       actor=f"user:{user.id}"),
            accounts_table.admin_of_op(invitation.invited_by, invitation.organization_id)]
    try:
        return sessions.start(user, client, also=also, user_unchanged=False)  # the user is new in it
    except dynamodb.TransactionCancelled as cancelled:
        if cancelled.refused(invitations_table.INVITATION):  # a parallel accept (or a revocation) got there first
            _refuse_unless_pending(invitations_table.get(invitation.id) or invitation, clock.now())
            raise InvalidInvitation("Invitation token is invalid") from None
        if cancelled.refused(accounts_table.CREDENTIALS):
            raise EmailTaken("This address already has an account: one organization per user for now") from None
        if cancelled.refused(accounts_table.ORGANIZATION):
            raise OrganizationNotFound() from None
        if cancelled.refused(accounts_table.INVITER_IS_ADMIN):  # its inviter was removed or demoted (`revoke_sent_by`)
            raise InvalidInvitation("Invitation token is invalid") from None
        raise


def _refuse_unless_pending(invitation: Invitation, now: int) -> None:
    if invitation.status == invitations_table.ACCEPTED:
        raise InvitationUsed("This invitation has already been accepted; sign in instead")
    if invitation.status == invitations_table.REPLACED:
        raise InvitationRevoked("This invitation was replaced by a newer one: use the latest email")
    if invitation.status != invitations_table.PENDING:
        raise InvitationRevoked()
    if now >= invitation.expires_at:
        raise InvitationExpired()
