"""Getting back into an account, and proving an address is yours: email verification, an email
change's two links, forgot and reset password, and the mailer's jobs that need an account (reset
links, notices by user id).

One-time tokens (`rules.one_time_tokens`) live on the user item, one per purpose; each request that
takes one reads the user once, checks it in constant time and spends it with a conditional write.
A token is stored only while the account still has the address it is mailed to, and an email change
removes the links mailed to the old address: a link never outlives its address.

The rules an owner relies on to take an account back are in docs/security/recovery.md.

Forgot-password does the same work for every well-formed address, known or not, locked, unverified:
it counts the request against the source (the route's limit) and the address, and queues a job; the
mailer looks the address up and, if it has an account, mints the reset token and sends the link."""

from __future__ import annotations

from typing import NamedTuple

from latchkey.errors import (
    EmailAlreadyVerified,
    InvalidOneTimeToken,
    ServiceUnavailable,
    TwoFactorRequired,
    UserNotFound,
)
from latchkey.rules import clock, one_time_tokens, passwords
from latchkey.rules.records import ADMIN, Client, Principal, User, normalize_email
from latchkey.settings import get_settings
from latchkey.store import accounts_table, dynamodb, invitations_table, rate_limits_table, sessions_table
from latchkey.store.dynamodb import TransactionCancelled
from latchkey.usecases import accounts, audit, mail, sessions

RECOVERY_WINDOW = 3600  # the per-address limit's window: RecoveryEmailsPerAddress an hour
RESET_CODE_ATTEMPTS = 5  # second-factor codes tried with one reset link


# --- verification ---------------------------------------------------------------------------------


class Verified(NamedTuple):
    """What a link from an email did: for an email change, which of its two links is still out."""

    waiting_for: str | None = None  # "approval" (the current address's) or "confirmation" (the new one's)

    def body(self) -> dict:
        if self.waiting_for is None:
            return {"emailVerified": True}
        return {"emailVerified": False, "waitingFor": self.waiting_for}


def verify_email(token: str) -> Verified:
    """Spends a verification token (the address is verified), or takes one of an email change's two
    links: the new address's confirmation or the current address's approval. The second of the two
    moves the account to the new address, atomically, and the old one gets a notice without a token."""
    purpose, user, held, token_hash, now = accounts.emailed_token(
        token, (one_time_tokens.VERIFY_EMAIL, one_time_tokens.CHANGE_EMAIL, one_time_tokens.APPROVE_EMAIL))
    if purpose == one_time_tokens.VERIFY_EMAIL:
        if not accounts_table.verify_email(user.id, token_hash, now, also=[_event(audit.EMAIL_VERIFIED, user)]):
            raise InvalidOneTimeToken()  # a racing request spent it first
        return Verified()
    return _email_change_link(user, held, purpose, token, now)


def _email_change_link(user: User, held: accounts_table.Tokens, purpose: str, token: str, now: int) -> Verified:
    confirming = purpose == one_time_tokens.CHANGE_EMAIL
    half = _event(audit.EMAIL_CHANGE_CONFIRMED if confirming else audit.EMAIL_CHANGE_APPROVED, user)
    token_hash = one_time_tokens.hash_token(token)
    if not (held.change_approved if confirming else held.change_confirmed):
        waiting = Verified("approval" if confirming else "confirmation")
        if not confirming and held.change_approved:
            return waiting  # approved before: the link is kept for cancelling
        if accounts_table.record_email_change_half(user.id, purpose, token_hash, held.pending_email, now, also=[half]):
            return waiting
        # Refused: the token was spent or replaced meanwhile, or the other link came back meanwhile.
        found = accounts_table.get_user_with_tokens(user.id)
        if found is None:
            raise InvalidOneTimeToken()
        user, held = found
        one_time_tokens.check(token, held.stored[purpose], now)
    try:
        accounts_table.change_email(user, held.pending_email, purpose, token_hash, now,
                                    also=[half, _event(audit.EMAIL_CHANGED, user)])
    except TransactionCancelled:
        raise InvalidOneTimeToken() from None  # spent, replaced, voided, or the email changed meanwhile
    mail.notify("notice.email-changed", to=user.email, name=user.name, newEmail=held.pending_email)
    return Verified()


def cancel_email_change(token: str) -> None:
    """The current address's link cancels the pending email change (whoever asked for it)."""
    _, user, _, token_hash, now = accounts.emailed_token(token, (one_time_tokens.APPROVE_EMAIL,))
    cancelled = audit.item(audit.EMAIL_CHANGE_CANCELLED, organization_id=user.organization_id, user_id=user.id,
                           reason="CANCELLED_BY_CURRENT_ADDRESS")
    if not accounts_table.cancel_email_change(user.id, token_hash, now, also=[cancelled]):
        raise InvalidOneTimeToken()  # completed, cancelled or replaced meanwhile


def resend_verification(principal: Principal) -> None:
    """A new verification link (the older ones stop working), within the address's hourly budget."""
    found = accounts_table.get_user_with_tokens(principal.user_id)
    if found is None:
        raise UserNotFound()
    user, _ = found
    if user.email_verified:
        raise EmailAlreadyVerified()
    now = clock.now()
    if not _within_address_budget("verify-email", user.email, now):
        return  # answered the same: the address has had its share of mail this hour
    issued = one_time_tokens.issue(one_time_tokens.VERIFY_EMAIL, user.id, now)
    if not accounts_table.store_token(user.id, one_time_tokens.VERIFY_EMAIL, issued, to=user.email):
        raise UserNotFound()
    mail.send("account.verify-email", to=user.email, name=user.name, token=issued.token)


# --- forgot and reset password --------------------------------------------------------------------


def forgot_password(email: str) -> None:
    """Queues a reset link for the address's account, if any, within the address's hourly budget; the
    same work and the same answer whatever the address (the route's per-source limit came first)."""
    if _within_address_budget("forgot-password", email, clock.now()):
        mail.send_reset_link(normalize_email(email), "account.reset-password")


def _within_address_budget(action: str, email: str, now: int) -> bool:
    """Counts one email asked for `email` (any address, with an account or not): True while its hourly
    budget (RecoveryEmailsPerAddress) lasts."""
    hits, _ = rate_limits_table.hit(f"{action}-email", normalize_email(email), RECOVERY_WINDOW, now)
    return hits <= get_settings().recovery_emails_per_address


def reset_password(token: str, password: str, code: str | None, client: Client) -> None:
    """Sets a new password with a reset token. With two-factor on, a good code is required (401
    TWO_FACTOR_REQUIRED otherwise, the token unspent), unless none is sent and the factor was turned on
    in the last two_factor.SETTLING_DAYS: then the reset takes it off (the owner's way back). On success
    every session ends, a pending email change is void, the lockout is cleared (for this source too),
    the address counts as verified and the user gets a notice. A link mailed to an address never
    verified reclaims the account from whoever set it up (`_reclaim`): no second factor is asked for,
    and it is turned off. Issues no tokens: the user signs in afresh.

    A 503 is never final: the new password, the token's spending, the pending change's voiding and a
    marker (the token's hash and the time) are one transaction; what follows it (sessions, keys, the
    reclaim) may be repeated, and the same request sent again while the marker stands does it again,
    then removes the marker."""
    from latchkey.usecases import two_factor  # the reset function carries the two-factor layers

    _, user_id = one_time_tokens.user_of(token, (one_time_tokens.RESET_PASSWORD,))
    found = accounts_table.get_account(user_id)
    if found is None:
        raise InvalidOneTimeToken()
    user, state, held = found
    if held.cleanup_hash and one_time_tokens.matches(token, held.cleanup_hash):  # a 503 cut this reset short
        _after_reset(user, held.cleanup_hash, held.cleanup_at, reclaim=held.cleanup_reclaims)
        mail.notify("notice.password-changed", to=user.email, name=user.name)
        return
    now = clock.now()
    token_hash = one_time_tokens.check(token, held.stored[one_time_tokens.RESET_PASSWORD], now)
    accounts.check_new_password(password)
    reclaim = not user.email_verified  # this link is the first proof anyone gave of the address
    removing = state.enabled and (reclaim or two_factor.removed_by_reset(state, code, now))  # the owner's way back
    if state.enabled and not removing:
        # A reset link may be tried with codes only so often: a guesser who holds the mailbox gets
        # RESET_CODE_ATTEMPTS per link (and RecoveryEmailsPerAddress links an hour).
        lifetime = one_time_tokens.LIFETIMES[one_time_tokens.RESET_PASSWORD]
        tries, _ = rate_limits_table.hit("reset-2fa", token_hash, lifetime, now)
        matched = two_factor.matching_code(user, state, code, now) if code and tries <= RESET_CODE_ATTEMPTS else None
        if matched is None or not accounts_table.spend_code(
                user.id, also=two_factor.recovery_events(user, matched), **matched):
            raise TwoFactorRequired()
    email_key = normalize_email(user.email)
    items = [*accounts_table.reset_password_ops(user, passwords.hash_password(password), token_hash, now,
                                                 reclaim=reclaim,
                                                 remove_factor_enabled_at=state.enabled_at if removing else None),
             *accounts.signed_in_ops(email_key, client.source_ip, now), _event(audit.PASSWORD_RESET, user),
             *([_event(audit.EMAIL_CHANGE_CANCELLED, user, "PASSWORD_RESET")] if held.pending_email else []),
             *([two_factor.removal_event(user)] if removing else [])]
    try:
        dynamodb.transact(items)
    except TransactionCancelled:
        raise InvalidOneTimeToken() from None  # a racing request spent it, or the email changed meanwhile
    _after_reset(user, token_hash, now, reclaim=reclaim)
    mail.notify("notice.password-changed", to=user.email, name=user.name)
    if removing:
        mail.notify("notice.two-factor-disabled", to=user.email, name=user.name)


_RECLAIMED = "ADDRESS_RECLAIMED"  # the audit reason of what a reset through a never-verified address undoes
_MEMBER_ENDED = "account reclaimed by its address's owner"


def _after_reset(user: User, token_hash: str, reset_at: int, *, reclaim: bool) -> None:
    """What a committed reset ends, each step safe to repeat; then the marker goes. Only what started
    by the reset is ended: the owner's sign-ins since then stand."""
    from latchkey.usecases import api_keys

    now = clock.now()
    ended = [s.id for s in sessions_table.list_for_user(user.id, now) if s.created_at <= reset_at]
    sessions_table.revoke_all(user.id, ended, "password reset", now)
    if reclaim:
        _reclaim(user)
        api_keys.revoke_keys_of(user.organization_id)  # every member's: they all came in through this account
    accounts_table.finish_reset(user.id, token_hash)


def _reclaim(user: User) -> None:
    """The address's owner takes the account back from whoever registered it without proving it: they
    are the organization's only member and admin, with no pending invitation and its settings reset.
    (Whoever else is in it came in through that account: invitees prove their own address.)"""
    now = clock.now()
    if user.role != ADMIN:
        try:
            accounts_table.change_role(user, ADMIN, also=[_event(audit.MEMBER_ROLE_CHANGED, user, _RECLAIMED)])
        except TransactionCancelled:
            raise ServiceUnavailable("The account changed while being reclaimed; send the request again") from None
    for member in accounts_table.list_members(user.organization_id):
        if member.id == user.id:
            continue
        sessions.end_sessions(member.id, _MEMBER_ENDED, now)  # before the removal and after it: none survives
        try:
            accounts_table.remove_member(member, also=[_event(audit.MEMBER_REMOVED, member, _RECLAIMED)])
        except TransactionCancelled:
            raise ServiceUnavailable("A member changed while the account was reclaimed; send the request again") \
                from None
        sessions.end_sessions(member.id, _MEMBER_ENDED, now)
    invitations_table.revoke_sent_by(user.organization_id, None, now)
    organization = accounts_table.get_organization(user.organization_id)
    if organization is not None and organization.result_redirect_url is not None:
        accounts_table.set_result_redirect_url(user.organization_id, None, also=[audit.item(
            audit.ORGANIZATION_SETTINGS_CHANGED, organization_id=user.organization_id, user_id=user.id,
            subject=f"organization:{user.organization_id}", reason="resultRedirectUrl")])


def _event(event_type: str, user: User, reason: str = "") -> dict:
    """The change's audit event, written in its transaction."""
    return audit.item(event_type, organization_id=user.organization_id, user_id=user.id, reason=reason)


# --- the mailer's jobs ----------------------------------------------------------------------------


def prepare(job: dict) -> dict | None:
    """A queued job as the message to send (template, to, values), or None if there is no such account:
    `reset-link` mints a reset token for the account of an email; `notify-user` addresses a notice."""
    if job["job"] == "notify-user":
        user = accounts_table.get_user(job["userId"])
        return user and {"template": job["template"], "to": user.email,
                         "values": {**job["values"], "name": user.name}}
    user_id = accounts_table.find_user_id(job["email"])
    user = accounts_table.get_user(user_id) if user_id else None
    if user is None:
        return None
    issued = one_time_tokens.issue(one_time_tokens.RESET_PASSWORD, user.id, clock.now())
    if not accounts_table.store_token(user.id, one_time_tokens.RESET_PASSWORD, issued, to=user.email):
        return None  # gone, or moved to another address meanwhile: this one gets no link
    return {"template": job["template"], "to": user.email,
            "values": {**job["values"], "name": user.name, "token": issued.token}}
