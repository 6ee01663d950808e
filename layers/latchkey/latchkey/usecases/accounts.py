"""Accounts: sign-up, sign-in, the current user, and the lockout that guards sign-in.

The lockout (docs: the security model, "Login protection"): 5 consecutive failures on an email lock it for 30 minutes
(423), counted before the secret is checked and whether or not the email has an account. What keeps
it from locking an owner out for good:
- each attempt also counts against the (email, source address) pair for the day (`signin-source`),
  on the anonymous sign-in routes and on every signed-in route that checks the password again
  (reauthenticate, change-password, change-email, delete-account, 2fa/enable, 2fa/disable) alike: a
  source gets `LockoutThreshold + 1` checked attempts at an email per day, then 429, unchecked and not
  counted against the email. So a source can lock an email once a day (one lock period), and then it
  is rate-limited itself; the owner, after a lock of their own making, still gets a try when it ends;
- a right password never counts as a failure, whatever is refused after it; a successful sign-in (or
  signed-in password check) from a source forgets its count; a completed password reset clears the
  lock and the resetting source's count;
- when an email gets locked its owner (if it has one) is told once per lock, with a reset link."""

from __future__ import annotations

from typing import NamedTuple

from latchkey.errors import (
    AccountDisabled,
    AccountLocked,
    EmailTaken,
    InvalidCredentials,
    InvalidOneTimeToken,
    PasswordTooCommon,
    RateLimited,
    UserNotFound,
)
from latchkey.rules import clock, one_time_tokens, passwords, tokens
from latchkey.rules.records import Client, User, normalize_email
from latchkey.rules.sign_up import new_account
from latchkey.settings import get_settings
from latchkey.store import accounts_table, rate_limits_table
from latchkey.store.token_keys import signing_context
from latchkey.usecases import audit, mail, sessions

SOURCE_WINDOW = 24 * 3600  # the per-(email, source) count of sign-in attempts: one day, fixed windows


def register(
    email: str, password: str, name: str, organization_name: str | None, client: Client
) -> sessions.SignedIn:
    """Creates the user and an organization they administer, signs them in, and sends the email that
    verifies their address (unverified, everything works as before)."""
    check_new_password(password)
    # Before writing anything: if the key store is down, fail with nothing created.
    signing_context(tokens.ACCESS), signing_context(tokens.REFRESH)
    user, organization = new_account(email.strip(), name.strip(),
                                     organization_name.strip() if organization_name else None)
    verification = one_time_tokens.issue(one_time_tokens.VERIFY_EMAIL, user.id, clock.now())
    accounts_table.create_user_with_organization(user, passwords.hash_password(password), organization, verification)
    # The account exists now: a queue that is down must not turn it into a 503 (a retry would be a 409);
    # the user can ask again (verify-email/resend).
    mail.notify("account.verify-email", to=user.email, name=user.name, token=verification.token)
    return sessions.start(user, client, user_unchanged=False)  # nobody else can have changed a new user


def check_new_password(password: str) -> None:
    """400 PASSWORD_TOO_COMMON for a new password in the list of common and breached passwords (and,
    with BreachedPasswordCheck on, in Have I Been Pwned's corpus). Length is the schema's rule."""
    if passwords.is_common(password):
        raise PasswordTooCommon()
    if get_settings().breached_password_check:
        from latchkey.store import pwned_passwords  # only when turned on: no HTTP client otherwise

        if pwned_passwords.is_breached(password):
            raise PasswordTooCommon()


class PendingTwoFactor(NamedTuple):
    """Login's answer when the password was right and a second factor is due."""

    pending_token: str
    has_passkeys: bool = False

    def body(self) -> dict:
        methods = ["totp", "recovery", *(["passkey"] if self.has_passkeys else [])]
        return {"requires2FA": True, "pendingToken": self.pending_token, "methods": methods}


def login(email: str, password: str, client: Client) -> sessions.SignedIn | PendingTwoFactor:
    """Signs in. The attempt is counted against the email before the password is checked (so racing
    guesses cannot outrun the lockout), and an unknown email and a wrong password get the same
    refusal after the same work: lockout never tells whether an account exists."""
    now = clock.now()
    email_key = normalize_email(email)
    attempt = begin_attempt(email_key, now, client.source_ip)
    credentials = accounts_table.find_credentials(email)
    if credentials is None and migrated(email, password):
        credentials = accounts_table.find_credentials(email)
    if not passwords.verify_password(credentials.password_hash if credentials else None, password):
        # The same writes whether or not the account exists: the event of an unknown email is in no
        # organization (and names no email).
        subject = {"organization_id": credentials.organization_id, "user_id": credentials.user_id} if credentials \
            else {"organization_id": ""}
        audit.record(audit.SIGN_IN_FAILED, reason=InvalidCredentials.code, **subject)
        fail_attempt(email_key, attempt, now, **subject)
        raise InvalidCredentials()
    user = current_user(credentials.user_id)
    if passwords.needs_rehash(credentials.password_hash):
        # An imported hash (the admin API's import), right for the first time: Latchkey's argon2id from now
        # on. Only while it is still that hash: a racing change of password wins.
        accounts_table.replace_password_hash(email, credentials.password_hash, passwords.hash_password(password))
    if user.two_factor_enabled:
        # Not signed in yet: this attempt stops counting, the failures before it still do.
        right_secret(email_key, client.source_ip, now)
        return pending_two_factor(user, now)
    return sessions.start(user, client, also=signed_in_ops(email_key, client.source_ip, now))


def migrated(email: str, password: str | None) -> bool:
    """Lazy migration (UserMigrationFunctionArn): for an address with no account, the team's legacy
    function is asked (with the password, at sign-in); when it answers a user, the account is created
    here (an organization of their own; the password, checked by the legacy service, hashed with argon2id;
    none at forgot-password, where the reset link sets one). Whether an account now exists."""
    if not get_settings().user_migration_function_arn:
        return False
    from latchkey.store import user_migration

    trigger = user_migration.SIGN_IN if password is not None else user_migration.FORGOT_PASSWORD
    attributes = user_migration.ask(trigger, email.strip(), password)
    if attributes is None or normalize_email(str(attributes.get("email", ""))) != normalize_email(email):
        return False
    email = email.strip()
    name = str(attributes.get("name") or email.split("@")[0])[:100]
    user, organization = new_account(email, name,
                                     email_verified=str(attributes.get("email_verified", "")).lower() == "true")
    migrated_event = audit.item(audit.ACCOUNT_CREATED, organization_id=organization.id, user_id=user.id,
                                reason="USER_MIGRATION")
    try:
        accounts_table.create_user_with_organization(
            user, passwords.hash_password(password) if password is not None else "", organization, None,
            also=[migrated_event])
    except EmailTaken:
        pass  # a racing request migrated them first
    return True


def pending_two_factor(user: User, now: int, amr: tuple[str, ...] = ("pwd",)) -> PendingTwoFactor:
    """The first factor (`amr`: how it was proved) was right and a second is due: a pending token that
    only verify-2fa takes, which carries `amr` on to the session it starts."""
    if user.disabled:  # as sessions.start would refuse it after the second factor
        raise AccountDisabled()
    pending, _ = tokens.issue(signing_context(tokens.PENDING_2FA), tokens.PENDING_2FA,
                              get_settings().pending_2fa_ttl, now=now, sub=user.id, amr=list(amr))
    return PendingTwoFactor(pending, accounts_table.has_passkeys(user.id))


def begin_attempt(email_key: str, now: int, source_ip: str | None = None) -> rate_limits_table.Attempt:
    """Counts a sign-in attempt (password or second factor) against the email: 423 while it is locked.
    With `source_ip`, against the (email, source) pair too: 429 past its limit."""
    settings = get_settings()
    attempt = rate_limits_table.begin_attempt(email_key, now, settings.lockout_threshold, settings.lockout_seconds)
    if not attempt.allowed:
        if attempt.locked_now:  # a racing attempt past the limit locked it
            _tell_owner_locked(email_key)
        raise AccountLocked(retry_after=attempt.retry_after)
    if source_ip:
        hits, window_end = rate_limits_table.hit(*_source_counter(email_key, source_ip), now)
        if hits > settings.lockout_threshold + 1:
            rate_limits_table.release_attempt(email_key)  # refused unchecked: it does not count toward a lock
            raise RateLimited("Too many failed sign-ins to this account from this address: reset the password "
                              "(POST /v1/auth/forgot-password) or try again later", retry_after=window_end - now)
    return attempt


def fail_attempt(email_key: str, attempt: rate_limits_table.Attempt, now: int, *, organization_id: str,
                 user_id: str = "") -> None:
    """The attempt's secret was wrong: the threshold-th wrong one locks the email, says so in the audit
    trail of the account's organization (if there is an account), and tells its owner."""
    settings = get_settings()
    if attempt.count >= settings.lockout_threshold and rate_limits_table.lock(
            email_key, now, settings.lockout_seconds, also=[audit.item(
                audit.LOCKOUT, organization_id=organization_id, user_id=user_id, reason=AccountLocked.code)]):
        _tell_owner_locked(email_key)


def right_secret(email_key: str, source_ip: str, now: int) -> None:
    """A right password (or code) is never a failure, whatever is refused next (a second factor due, a
    new value refused): its attempt stops counting, for the email and for this source; the failures
    before it still count."""
    rate_limits_table.release_attempt(email_key)
    if source_ip:
        rate_limits_table.release_hit(*_source_counter(email_key, source_ip), now)


def signed_in_ops(email_key: str, source_ip: str, now: int) -> list[dict]:
    """What a successful sign-in (or password check) forgets, written with its session: the email's
    count and this source's."""
    return [rate_limits_table.clear_attempts_op(email_key),
            *([rate_limits_table.forget_hits_op(*_source_counter(email_key, source_ip), now)] if source_ip else [])]


def _source_counter(email_key: str, source_ip: str) -> tuple[str, str, int]:
    """The (email, source) pair's daily count of sign-in attempts, as `rate_limits_table.hit` keys it."""
    return "signin-source", f"{email_key}#{source_ip}", SOURCE_WINDOW


def _tell_owner_locked(email_key: str) -> None:
    """Once per lock: a reset link to the owner, if the email has one (the mailer finds out, so the
    request does the same work either way)."""
    minutes = max(1, get_settings().lockout_seconds // 60)
    mail.send_reset_link(email_key, "account.locked", minutes=str(minutes), best_effort=True)


def check_password(user: User, password: str) -> bool:
    credentials = accounts_table.find_credentials(user.email)
    return passwords.verify_password(credentials.password_hash if credentials else None, password)


def current_user(user_id: str) -> User:
    user = accounts_table.get_user(user_id)
    if user is None:
        raise UserNotFound()
    return user


def void_email_change(user_id: str, organization_id: str, reason: str) -> bool:
    """Voids the user's pending email change, if any, and records it (`reason`: what voided it; the
    address is not in the event): what a reset, a password change, logout-all, a two-factor change and
    a deletion call before their own write, so none of them can leave an attacker's change standing.
    With nothing pending (the usual case) it costs one refused conditional write and no transaction.
    True if there was one."""
    if not accounts_table.void_email_change(user_id):
        return False
    audit.record(audit.EMAIL_CHANGE_CANCELLED, organization_id=organization_id, user_id=user_id, reason=reason)
    return True


class EmailedToken(NamedTuple):
    """A one-time token from an email's link, checked against the live one its user holds."""

    purpose: str
    user: User
    held: accounts_table.Tokens
    token_hash: str
    now: int


def emailed_token(token: str, purposes: tuple[str, ...]) -> EmailedToken:
    """The link's token checked: its purpose (one of `purposes`), its user, the tokens they hold and its
    hash; 400 when it is malformed, unknown, spent, replaced or expired."""
    purpose, user_id = one_time_tokens.user_of(token, purposes)
    found = accounts_table.get_user_with_tokens(user_id)
    if found is None:
        raise InvalidOneTimeToken()
    user, held = found
    now = clock.now()
    return EmailedToken(purpose, user, held, one_time_tokens.check(token, held.stored[purpose], now), now)
