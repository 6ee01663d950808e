"""Getting back into an account, and proving an address is yours: email verification, forgot and
reset password, and the mailer's jobs that need an account (reset links, notices by user id).

One-time tokens (`rules.one_time_tokens`) live on the user item, one per purpose; each request that
takes one reads the user once, checks it in constant time and spends it with a conditional write.

Forgot-password does the same work for every well-formed address, known or not, locked, unverified:
it counts the request against the source (the route's limit) and the address, and queues a job; the
mailer looks the address up and, if it has an account, mints the reset token and sends the link."""

from __future__ import annotations

from latchkey.errors import (
    EmailAlreadyVerified,
    InvalidOneTimeToken,
    TwoFactorRequired,
    UserNotFound,
)
from latchkey.rules import clock, one_time_tokens, passwords
from latchkey.rules.records import Client, Principal, User, normalize_email
from latchkey.settings import get_settings
from latchkey.store import accounts_table, dynamodb, rate_limits_table
from latchkey.store.dynamodb import TransactionCancelled
from latchkey.usecases import accounts, audit, mail, sessions

RECOVERY_WINDOW = 3600  # the per-address limit's window: RecoveryEmailsPerAddress an hour
RESET_CODE_ATTEMPTS = 5  # second-factor codes tried with one reset link


# --- verification ---------------------------------------------------------------------------------


def verify_email(token: str) -> None:
    """Spends a verification token (the address is verified) or an email-change token (the account
    moves to the new address, atomically, and the old one gets a notice without a token)."""
    purpose, user_id = one_time_tokens.user_of(token, (one_time_tokens.VERIFY_EMAIL, one_time_tokens.CHANGE_EMAIL))
    found = accounts_table.get_user_with_tokens(user_id)
    if found is None:
        raise InvalidOneTimeToken()
    user, held = found
    now = clock.now()
    token_hash = one_time_tokens.check(token, held.stored[purpose], now)
    if purpose == one_time_tokens.VERIFY_EMAIL:
        if not accounts_table.verify_email(user.id, token_hash, now, also=[_event(audit.EMAIL_VERIFIED, user)]):
            raise InvalidOneTimeToken()  # a racing request spent it first
        return
    try:
        accounts_table.change_email(user, held.pending_email, token_hash, now, also=[_event(audit.EMAIL_CHANGED, user)])
    except TransactionCancelled:
        raise InvalidOneTimeToken() from None  # spent, replaced, or the email changed meanwhile
    mail.notify("notice.email-changed", to=user.email, name=user.name, newEmail=held.pending_email)


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
    if not accounts_table.store_token(user.id, one_time_tokens.VERIFY_EMAIL, issued):
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
    every session ends, the lockout is cleared (for this source too), the address counts as verified
    and the user gets a notice; if it had never been verified, every API key the user made is revoked
    too (that evicts whoever registered someone else's address). Issues no tokens: the user signs in
    afresh."""
    from latchkey.usecases import two_factor  # the reset function carries the two-factor layers

    _, user_id = one_time_tokens.user_of(token, (one_time_tokens.RESET_PASSWORD,))
    found = accounts_table.get_account(user_id)
    if found is None:
        raise InvalidOneTimeToken()
    user, state, held = found
    now = clock.now()
    token_hash = one_time_tokens.check(token, held.stored[one_time_tokens.RESET_PASSWORD], now)
    accounts.check_new_password(password)
    removing = two_factor.removed_by_reset(state, code, now)  # the owner's way back
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
                                                state.enabled_at if removing else None),
             *accounts.signed_in_ops(email_key, client.source_ip, now), _event(audit.PASSWORD_RESET, user),
             *([two_factor.removal_event(user)] if removing else [])]
    try:
        dynamodb.transact(items)
    except TransactionCancelled:
        raise InvalidOneTimeToken() from None  # a racing request spent it, or the email changed meanwhile
    sessions.end_sessions(user.id, "password reset", now)
    if not user.email_verified:
        from latchkey.usecases import api_keys

        api_keys.revoke_keys_of(user.organization_id, user.id)
    mail.notify("notice.password-changed", to=user.email, name=user.name)
    if removing:
        mail.notify("notice.two-factor-disabled", to=user.email, name=user.name)


def _event(event_type: str, user: User) -> dict:
    """The change's audit event, written in its transaction."""
    return audit.item(event_type, organization_id=user.organization_id, user_id=user.id)


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
    if not accounts_table.store_token(user.id, one_time_tokens.RESET_PASSWORD, issued):
        return None
    return {"template": job["template"], "to": user.email,
            "values": {**job["values"], "name": user.name, "token": issued.token}}
