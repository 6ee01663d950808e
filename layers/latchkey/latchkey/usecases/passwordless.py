"""Passwordless sign-in by email: a magic link or a six-digit code, asked for with an address and
sent to it (docs: concepts, "Passwordless sign-in").

Asking does the same work for every well-formed address, with an account or not: it counts against
the source (the route's limit) and the address (SignInEmailsPerAddress an hour, counted for both
kinds together), and queues a job; the mailer (the worker `mailer`) looks the address up and mints
the link or code, or tells the address that no account uses it (with a link to sign up).

Either one, brought back, is one factor (amr `email`: control of the mailbox; `otp` stays the TOTP
second factor's) and verifies the address. With two-factor on, it answers login's `requires2FA` and a
pending token, and verify-2fa finishes (amr `email` + `otp`). Links live on the user item as one-time
tokens (15 minutes, 256 bits, spent once); codes on the email's credentials item (10 minutes, 5 tries
per code, a new one voids the old). A wrong code counts toward the lockout and the (email, source)
cap as a wrong password does."""

from __future__ import annotations

from latchkey.errors import InvalidSignInCode, OneTimeTokenUsed, ServiceUnavailable
from latchkey.rules import clock, one_time_tokens
from latchkey.rules.records import Client, User, normalize_email
from latchkey.settings import get_settings
from latchkey.store import accounts_table, rate_limits_table
from latchkey.store.dynamodb import Labelled, TransactionCancelled, labelled, transact
from latchkey.usecases import accounts, audit, mail, sessions

LINK, CODE = mail.SIGN_IN_LINK, mail.SIGN_IN_CODE
EMAILS_WINDOW = 3600  # the per-address limit's window: SignInEmailsPerAddress an hour
AMR = ("email",)  # RFC 8176 has no value for "a link or code sent to the user's email"
# The names of a sign-in's transaction items (`dynamodb.labelled`), by which their refusal is asked.
_SPENT = "link or code"  # spending it (refused: a racing request spent it, or a link's user changed)
_USER = "address verified"  # the address verified on the code's user (refused: the user changed meanwhile)


def ask(kind: str, email: str) -> None:
    """Queues a sign-in link or code for the address, within its hourly budget; the same work and the
    same answer whatever the address (the route's per-source limit came first)."""
    hits, _ = rate_limits_table.hit("sign-in-address", normalize_email(email), EMAILS_WINDOW, clock.now())
    if hits <= get_settings().sign_in_emails_per_address:
        mail.send_sign_in(normalize_email(email), kind)


def sign_in_with_link(token: str, client: Client) -> sessions.SignedIn | accounts.PendingTwoFactor:
    """Spends a magic link: signed in (or a second factor due), the address verified."""
    link = accounts.emailed_token(token, (one_time_tokens.MAGIC_LINK,))
    user, now = link.user, link.now
    spend = [labelled(_SPENT, accounts_table.spend_magic_link_op(user, link.token_hash, now))]
    return _signed_in(user, client, spend, now, OneTimeTokenUsed)


def sign_in_with_code(email: str, code: str, client: Client) -> sessions.SignedIn | accounts.PendingTwoFactor:
    """Spends a sign-in code: signed in (or a second factor due), the address verified. The attempt is
    counted before the code is checked, against the email (lockout), the (email, source) pair and
    the code itself (5 tries); an unknown email and a wrong code get the same refusal after the same
    work."""
    now = clock.now()
    email_key = normalize_email(email)
    attempt = accounts.begin_attempt(email_key, now, client.source_ip)
    held = accounts_table.find_sign_in_code(email)
    stored = held.code_hash if held else ""
    tries = rate_limits_table.pending_attempt(f"code-{stored or email_key}", held.expires_at if held else now)
    right = one_time_tokens.code_matches(held.user_id if held else email_key, code, stored)
    if not (right and tries.attempts <= one_time_tokens.CODE_ATTEMPTS and now < held.expires_at):
        subject = {"organization_id": held.organization_id, "user_id": held.user_id} if held \
            else {"organization_id": ""}
        audit.record(audit.SIGN_IN_FAILED, reason=InvalidSignInCode.code, **subject)
        accounts.fail_attempt(email_key, attempt, now, **subject)
        raise InvalidSignInCode()
    user = accounts.current_user(held.user_id)
    spend = [labelled(_SPENT, accounts_table.spend_sign_in_code_op(email, stored, now)),
             labelled(_USER, accounts_table.address_verified_op(user))]
    return _signed_in(user, client, spend, now, InvalidSignInCode)


def _signed_in(user: User, client: Client, spend: list[Labelled], now: int,
               spent: type[Exception]) -> sessions.SignedIn | accounts.PendingTwoFactor:
    """Spends the link or code (with the address verified) and signs in, in one transaction; or, with
    two-factor on, spends it and answers a pending token. `spent`: the refusal when a racing request
    spent it first."""
    email_key = normalize_email(user.email)
    events = [] if user.email_verified else [audit.item(audit.EMAIL_VERIFIED, organization_id=user.organization_id,
                                                        user_id=user.id)]
    user = user._replace(email_verified=True)  # as it will be once the transaction commits
    try:
        if user.two_factor_enabled:
            transact([*spend, *events])
            accounts.right_secret(email_key, client.source_ip, now)
            return accounts.pending_two_factor(user, now, AMR)
        # The spend's conditions hold the user to the address and role read (no user_unchanged check).
        return sessions.start(user, client, also=[*spend, *events, *accounts.signed_in_ops(
            email_key, client.source_ip, now)], amr=AMR, user_unchanged=False)
    except TransactionCancelled as refused:
        if refused.refused(_SPENT):
            raise spent() from None  # spent by a racing request (or, a link, its user changed meanwhile)
        if refused.refused(_USER):  # a code's user changed meanwhile
            raise ServiceUnavailable("Your account changed while signing in; sign in again") from None
        raise
