"""Proving an address is yours, and asking to get back into an account: email verification, an email
change's two links, and forgot-password (the reset itself is `password_reset`; the mailer, a worker,
mints the reset link).

One-time tokens (`rules.one_time_tokens`) live on the user item, one per purpose; each request that
takes one reads the user once, checks it in constant time and spends it with a conditional write.
A token is stored only while the account still has the address it is mailed to, and an email change
removes the links mailed to the old address: a link never outlives its address.

The rules an owner relies on to take an account back are in docs/security/recovery.md.

Forgot-password does the same work for every well-formed address, known or not, locked, unverified:
it counts the request against the source (the route's limit) and the address, and queues a job; the
mailer (`mailer`) looks the address up and, if it has an account, mints the reset token and sends the
link."""

from __future__ import annotations

from typing import NamedTuple

from latchkey.errors import EmailAlreadyVerified, InvalidOneTimeToken, UserNotFound
from latchkey.rules import clock, one_time_tokens
from latchkey.rules.records import Principal, User, normalize_email
from latchkey.settings import get_settings
from latchkey.store import accounts_table, rate_limits_table
from latchkey.store.dynamodb import TransactionCancelled
from latchkey.usecases import accounts, audit, mail

RECOVERY_WINDOW = 3600  # the per-address limit's window: RecoveryEmailsPerAddress an hour


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


# --- forgot password ------------------------------------------------------------------------------


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


def _event(event_type: str, user: User, reason: str = "") -> dict:
    """The change's audit event, written in its transaction."""
    return audit.item(event_type, organization_id=user.organization_id, user_id=user.id, reason=reason)
