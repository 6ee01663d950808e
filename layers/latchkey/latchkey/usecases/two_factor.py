"""Two-factor sign-in (TOTP, RFC 6238) with recovery codes: set up, enable, disable, and the second
step of a login (`/auth/verify-2fa`).

TOTP secrets are stored sealed (AES-256-GCM, the user's id as associated data). A TOTP code is good
for its time step and one either side, and only once: the last accepted step is stored and a
code must be of a later step. Recovery codes are stored as hashes and each works once. Wrong codes
count toward the email's lockout; a pending token allows five attempts, lives five minutes, signs in
once, and dies with a "sign out everywhere". Turning two-factor on or off ends every other session
of the user: a stolen refresh token does not survive it.

`reauthenticate` is the step-up: the password (and a code when two-factor is on) again, counted
against the lockout exactly like a sign-in, for a fresh pair of the same session.
"""

from __future__ import annotations

from dataclasses import dataclass

from latchkey.errors import Conflict, Forbidden, InvalidCode, NotFound, Unauthorized
from latchkey.rules import clock, tokens, totp
from latchkey.rules.records import Client, Principal, User, normalize_email
from latchkey.settings import get_settings
from latchkey.store import accounts_table, dynamodb, rate_limits_table
from latchkey.store.secrets import totp_key_material, verifying_context
from latchkey.usecases import accounts, sessions


@dataclass(frozen=True)
class Setup:
    secret: str
    otpauth_url: str
    qr_svg: str | None

    def body(self) -> dict:
        return {"secret": self.secret, "otpauthUrl": self.otpauth_url, "qrSvg": self.qr_svg}


def setup(principal: Principal) -> Setup:
    """A new secret for the user, stored sealed and not active until `enable` confirms a code."""
    user = accounts.current_user(principal.user_id)
    secret = totp.new_secret()
    uri = totp.provisioning_uri(secret, user.email, get_settings().totp_issuer)
    setup = Setup(secret=secret, otpauth_url=uri, qr_svg=totp.qr_svg(uri))
    if not accounts_table.set_pending_two_factor(user.id, totp.seal(totp_key_material(), secret, user.id)):
        raise Conflict("Two-factor sign-in is already on", code="TWO_FACTOR_ALREADY_ENABLED")
    return setup


def enable(principal: Principal, code: str) -> list[str]:
    """Turns two-factor on once a code from the set-up secret checks out; the recovery codes, once."""
    _, state = _user_and_state(principal.user_id)
    if state.enabled:
        raise Conflict("Two-factor sign-in is already on", code="TWO_FACTOR_ALREADY_ENABLED")
    if not state.sealed_pending:
        raise Conflict("Call /v1/auth/2fa/setup first", code="TWO_FACTOR_NOT_SET_UP")
    secret = totp.unseal(totp_key_material(), state.sealed_pending, principal.user_id)
    step = totp.matching_step(secret, code, clock.now())
    if step is None:
        raise _wrong_code()
    codes = totp.new_recovery_codes()
    if not accounts_table.enable_two_factor(principal.user_id, state.sealed_pending, step,
                                            [totp.recovery_hash(c) for c in codes]):
        raise Conflict("Two-factor set-up changed meanwhile; set up again", code="TWO_FACTOR_SETUP_CHANGED")
    sessions.end_sessions(principal.user_id, "two-factor enabled", clock.now(), keep=principal.session_id)
    return codes


def disable(principal: Principal, password: str, code: str) -> None:
    """Turns two-factor off: needs the password and a current code (or a recovery code). Counted
    against the email's lockout like a sign-in, and refused with 403 (the caller's token is fine)."""
    user, state = _user_and_state(principal.user_id)
    if not state.enabled:
        raise Conflict("Two-factor sign-in is not on", code="TWO_FACTOR_NOT_ENABLED")
    attempt = _password_again(user, password)
    if not _spend_code(user, state, code, attempt.now):
        attempt.fail()
        raise _wrong_code()
    attempt.succeed()
    if not accounts_table.disable_two_factor(user.id):
        raise Conflict("Two-factor sign-in is not on", code="TWO_FACTOR_NOT_ENABLED")
    sessions.end_sessions(user.id, "two-factor disabled", attempt.now, keep=principal.session_id)


def reauthenticate(principal: Principal, password: str, code: str | None) -> sessions.SignedIn:
    """Step-up: proves the user again (password, and a code when two-factor is on) for a fresh pair of
    the caller's own session with `auth_time` now. Counted against the email's lockout like a sign-in;
    refused with 403, since the caller's token itself is fine."""
    user, state = _user_and_state(principal.user_id)
    attempt = _password_again(user, password)
    amr = ["pwd"]
    if state.enabled:
        if not code:
            rate_limits_table.release_attempt(attempt.email_key)  # as at login: the second factor is owed
            raise Forbidden("Two-factor sign-in is on: send a code too", code="TWO_FACTOR_CODE_REQUIRED")
        if not _spend_code(user, state, code, attempt.now):
            attempt.fail()
            raise _wrong_code()
        amr.append("otp")
    attempt.succeed()
    return sessions.reauthenticated(principal, amr)


@dataclass(frozen=True)
class _Attempt:
    """A sign-in attempt on a signed-in route, counted against the email's lockout."""

    email_key: str
    now: int
    counted: rate_limits_table.Attempt

    def fail(self) -> None:
        accounts.fail_attempt(self.email_key, self.counted, self.now)

    def succeed(self) -> None:
        dynamodb.transact([rate_limits_table.clear_attempts_op(self.email_key)])


def _password_again(user: User, password: str) -> _Attempt:
    """Counts the attempt (423 while locked), then checks the password: 403 if wrong."""
    now = clock.now()
    email_key = normalize_email(user.email)
    attempt = _Attempt(email_key, now, accounts.begin_attempt(email_key, now))
    if not accounts.check_password(user, password):
        attempt.fail()
        raise Forbidden("Invalid password", code="INVALID_PASSWORD")
    return attempt


def verify(pending_token: str, code: str, client: Client) -> sessions.SignedIn:
    """The second step of a login: a pending token and a code in, exactly login's body out."""
    claims = tokens.verify(verifying_context(tokens.PENDING_2FA), pending_token, tokens.PENDING_2FA, clock.now())
    settings = get_settings()
    use = rate_limits_table.pending_attempt(claims["jti"], claims["exp"])
    if use.used:
        raise Unauthorized("This pending token has already been used; log in again", code="PENDING_TOKEN_USED")
    if use.attempts > settings.pending_2fa_attempts:
        raise Unauthorized("Too many codes tried with this pending token; log in again",
                           code="PENDING_TOKEN_EXHAUSTED")
    user, state = _user_and_state(claims["sub"])
    if claims["iat"] <= user.signed_out_at:
        raise Unauthorized("This pending token was issued before a sign-out everywhere; log in again",
                           code="PENDING_TOKEN_REVOKED")
    now = clock.now()
    email_key = normalize_email(user.email)
    attempt = accounts.begin_attempt(email_key, now)
    if not _spend_code(user, state, code, now):
        accounts.fail_attempt(email_key, attempt, now)
        raise InvalidCode()
    if not rate_limits_table.mark_pending_used(claims["jti"], now):
        raise Unauthorized("This pending token has already been used; log in again", code="PENDING_TOKEN_USED")
    return sessions.start(user, client, also=[rate_limits_table.clear_attempts_op(email_key)], amr=("pwd", "otp"))


def _wrong_code() -> Forbidden:
    # On a signed-in route a wrong code is a 403: a 401 would tell the client its token is dead.
    return Forbidden(InvalidCode.message, code=InvalidCode.code)


def _user_and_state(user_id: str) -> tuple[User, accounts_table.TwoFactor]:
    found = accounts_table.get_user_and_two_factor(user_id)
    if found is None:
        raise NotFound("User no longer exists", code="USER_NOT_FOUND")
    return found


def _spend_code(user: User, state: accounts_table.TwoFactor, code: str, now: int) -> bool:
    """Accepts `code` once: a TOTP code of a step later than any used, or an unused recovery code."""
    if not state.enabled:
        return False
    if totp.is_totp_code(code):
        secret = totp.unseal(totp_key_material(), state.sealed_secret, user.id)
        step = totp.matching_step(secret, code, now)
        return step is not None and accounts_table.accept_totp_step(user.id, step)
    return accounts_table.use_recovery_code(user.id, totp.recovery_hash(code))
