"""Two-factor sign-in (TOTP, RFC 6238) with recovery codes: set up, enable, disable, and the second
step of a login (`/auth/verify-2fa`).

TOTP secrets are stored sealed (AES-256-GCM, the user's id as associated data). A TOTP code is good
for its time step and one either side, and only once: the last accepted step is stored and a
code must be of a later step. Recovery codes are stored as hashes and each works once. Wrong codes
count toward the email's lockout; a pending token allows five attempts, lives five minutes, signs in
once, and dies with a "sign out everywhere". Turning two-factor on asks for the password in the same
request, and on or off ends every other session of the user: a stolen refresh token does not survive
it, and a 503 after the change leaves the same request good to send again until they have all ended.
A factor bound in the last `SETTLING_DAYS` can be removed by the owner's password reset (the owner's
way back when someone else turned it on: docs/security/two-factor.md).

`reauthenticate` is the step-up: the password (and a code when two-factor is on) again, counted
against the lockout exactly like a sign-in, for a fresh pair of the same session.
"""

from __future__ import annotations

from typing import NamedTuple

from latchkey.errors import (
    InvalidCode,
    InvalidCodeOnSignedInRoute,
    InvalidPasskey,
    InvalidPassword,
    PendingTokenExhausted,
    PendingTokenRevoked,
    PendingTokenUsed,
    SecondFactorRequired,
    ServiceUnavailable,
    TwoFactorAlreadyEnabled,
    TwoFactorCodeRequired,
    TwoFactorNotEnabled,
    TwoFactorNotSetUp,
    TwoFactorSetupChanged,
    UserNotFound,
)
from latchkey.rules import clock, tokens, totp
from latchkey.rules.records import Client, Principal, User, normalize_email
from latchkey.settings import get_settings
from latchkey.store import accounts_table, dynamodb, rate_limits_table
from latchkey.store.dynamodb import TransactionCancelled
from latchkey.store.secrets import totp_key_material
from latchkey.store.token_keys import verifying_context
from latchkey.usecases import accounts, audit, mail, sessions

SETTLING_DAYS = 7  # a second factor younger than this is taken off by the owner's password reset
# The names of a second step's transaction items (`dynamodb.labelled`), by which their refusal is asked.
_CODE = "code"  # the code spent (refused: a racing request spent it, or the role changed)
_PENDING_TOKEN = "pending token"  # the pending token spent (refused: a racing request signed in with it)


class Setup(NamedTuple):
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
    if not accounts_table.set_pending_two_factor(user.id, totp.seal(totp_key_material(), secret, user.id),
                                                 also=[_event(audit.TWO_FACTOR_SET_UP, user)]):
        raise TwoFactorAlreadyEnabled()
    return setup


def enable(principal: Principal, password: str, code: str) -> list[str]:
    """Turns two-factor on once the password and a code from the set-up secret check out; the recovery
    codes, once. The password is asked in the same request (a fresh token is not enough): whoever holds
    a stolen access token cannot bind their own authenticator to the account.

    Safe to send again after a 503: the factor is on from the first write and the other sessions end
    after it; until they have, the same request from the same session finishes the job and answers with
    new recovery codes (those written first were never shown)."""
    user, state = user_and_state(principal.user_id)
    finishing = state.enabled and _unfinished_by(state, principal)
    if state.enabled and not finishing:
        raise TwoFactorAlreadyEnabled()
    if not finishing and not state.sealed_pending:
        raise TwoFactorNotSetUp()
    attempt = password_again(user, password, principal)
    sealed = state.sealed_secret if finishing else state.sealed_pending
    step = totp.matching_step(totp.unseal(totp_key_material(), sealed, user.id), code, attempt.now)
    # Finishing, the code sent the first time (its step is the last used) is still good.
    if step is None or (finishing and step < state.last_step):
        raise InvalidCodeOnSignedInRoute()
    attempt.succeed()
    accounts.void_email_change(user.id, user.organization_id, "TWO_FACTOR_ENABLED")
    codes = totp.new_recovery_codes()
    hashes = [totp.recovery_hash(c) for c in codes]
    if finishing:
        if not accounts_table.replace_recovery_codes(user.id, principal.session_id, hashes):
            raise TwoFactorAlreadyEnabled()  # a racing retry finished it
    elif not accounts_table.enable_two_factor(user.id, sealed, step, hashes, attempt.now, principal.session_id,
                                              also=[_event(audit.TWO_FACTOR_ENABLED, user)]):
        raise TwoFactorSetupChanged()
    _finish(user, principal, "two-factor enabled", attempt.now, "notice.two-factor-enabled", days=str(SETTLING_DAYS))
    return codes


def disable(principal: Principal, password: str, code: str) -> None:
    """Turns two-factor off: needs the password and a current code (or a recovery code). Counted
    against the email's lockout like a sign-in, and refused with 403 (the caller's token is fine).
    Safe to send again after a 503, as `enable` is: the same session's request with the password
    finishes ending the other sessions."""
    user, state = user_and_state(principal.user_id)
    finishing = not state.enabled and _unfinished_by(state, principal)
    if not state.enabled and not finishing:
        raise TwoFactorNotEnabled()
    attempt = password_again(user, password, principal)
    if not finishing:
        matched = attempt.check_code(user, state, code)
        attempt.succeed()
        accounts.void_email_change(user.id, user.organization_id, "TWO_FACTOR_DISABLED")
        # The code is spent with the change, in one write: a 503 leaves it good for the same request.
        if not accounts_table.disable_two_factor(user.id, principal.session_id, also=[
                _event(audit.TWO_FACTOR_DISABLED, user), *recovery_events(user, matched)], **matched):
            if user_and_state(user.id)[1].enabled:
                raise InvalidCodeOnSignedInRoute()  # a racing request spent this code first
            raise TwoFactorNotEnabled()
    else:
        attempt.succeed()
    _finish(user, principal, "two-factor disabled", attempt.now, "notice.two-factor-disabled")


def _unfinished_by(state: accounts_table.TwoFactor, principal: Principal) -> bool:
    """Whether the caller's session turned two-factor on or off and a 503 came before its other
    sessions all ended."""
    return bool(state.unfinished) and bool(principal.session_id) and state.unfinished == principal.session_id


def _finish(user: User, principal: Principal, reason: str, now: int, notice: str, **values: str) -> None:
    """What follows turning two-factor on or off, each step safe to repeat: every other session ends,
    then the change is marked finished, then the user is told."""
    sessions.end_sessions(user.id, reason, now, keep=principal.session_id)
    accounts_table.finish_two_factor_change(user.id, principal.session_id)
    mail.notify(notice, to=user.email, name=user.name, **values)


def removed_by_reset(state: accounts_table.TwoFactor, code: str | None, now: int) -> bool:
    """Whether a password reset sent without a code takes the second factor off: the owner's way back
    when someone else turned it on (they are told at once, by mail, with the days they have). Only a
    factor bound in the last SETTLING_DAYS; a settled one is always asked for. Why this is no bypass:
    docs/security/two-factor.md."""
    return state.enabled and not code and state.enabled_at > now - SETTLING_DAYS * 24 * 3600


def removal_event(user: User) -> dict:
    """The audit event of a second factor a password reset took off."""
    return audit.item(audit.TWO_FACTOR_DISABLED, **_subject(user), reason="password reset")


def reauthenticate(principal: Principal, password: str | None, code: str | None,
                   credential: dict | None = None) -> sessions.SignedIn:
    """Step-up: proves the user again (password, and a code when two-factor is on; or a passkey) for a
    fresh pair of the caller's own session with `auth_time` now. Counted against the email's lockout
    like a sign-in; refused with 403, since the caller's token itself is fine."""
    if (credential is None) == (password is None) or (credential is not None and code):
        raise SecondFactorRequired("Send either the password (and a code) or a passkey credential")
    if credential is not None:
        # Cold start: the passkeys use case loads only when a passkey is used (and py_webauthn, from
        # the passkeys layer, only in its ceremonies). No circle: passkeys imports no two-factor code.
        from latchkey.usecases import passkeys

        return passkeys.step_up(principal, credential)
    user, state = user_and_state(principal.user_id)
    attempt = password_again(user, password, principal)
    amr, spends = ["pwd"], []
    if state.enabled:
        # Checked here, spent with the session's renewal: a 503 leaves the same code good to send again.
        matched = attempt.require_code(user, state, code)
        spends = [dynamodb.labelled(_CODE, accounts_table.spend_code_op(user.id, **matched)),
                  *recovery_events(user, matched)]
        amr.append("otp")
    attempt.succeed()
    try:
        return sessions.reauthenticated(principal, amr, also=spends)
    except TransactionCancelled as cancelled:
        if cancelled.refused(_CODE):  # a racing request spent it first
            raise InvalidCodeOnSignedInRoute() from None
        raise


class SignedInAttempt(NamedTuple):
    """A password checked again on a signed-in route, and right: refusals are 403s (a 401 would tell
    the client its token is dead). Its attempt no longer counts (a right password is never a failure,
    whatever is refused next); a code owed after it is an attempt of its own."""

    email_key: str
    now: int
    source_ip: str

    def check_code(self, user: User, state: accounts_table.TwoFactor, code: str) -> dict:
        """Counts the code as an attempt (423 while locked, 429 past the source's cap) and checks it: a
        wrong one is a failure (403), a right one is not. What it would spend (`matching_code`)."""
        counted = accounts.begin_attempt(self.email_key, self.now, self.source_ip)
        matched = matching_code(user, state, code, self.now)
        if matched is None:
            accounts.fail_attempt(self.email_key, counted, self.now, **_subject(user))
            raise InvalidCodeOnSignedInRoute()
        accounts.right_secret(self.email_key, self.source_ip, self.now)
        return matched

    def require_code(self, user: User, state: accounts_table.TwoFactor, code: str | None) -> dict:
        """Two-factor is on: a code is owed (403 TWO_FACTOR_CODE_REQUIRED without one, counting nothing)
        and must be good. It is checked, not spent: the caller spends it (`accounts_table.spend_code_op`)
        in its own last write, so a 503 before that leaves the same request good to send again. What
        the code spends."""
        if not code:
            raise TwoFactorCodeRequired()
        return self.check_code(user, state, code)

    def succeed(self) -> None:
        """The user proved themselves: the counts start again, as after a sign-in."""
        dynamodb.transact(accounts.signed_in_ops(self.email_key, self.source_ip, self.now))


def password_again(user: User, password: str, principal: Principal) -> SignedInAttempt:
    """Counts the attempt against the email (423 while locked) and against the (email, caller's source)
    pair as a sign-in does (429 past its cap), then checks the password: 403 if wrong."""
    now = clock.now()
    email_key = normalize_email(user.email)
    counted = accounts.begin_attempt(email_key, now, principal.source_ip)
    if not accounts.check_password(user, password):
        accounts.fail_attempt(email_key, counted, now, **_subject(user))
        raise InvalidPassword()
    accounts.right_secret(email_key, principal.source_ip, now)
    return SignedInAttempt(email_key, now, principal.source_ip)


def verify(pending_token: str, code: str | None, client: Client, credential: dict | None = None) -> sessions.SignedIn:
    """The second step of a login: a pending token and a code (or a passkey's assertion) in, exactly
    login's body out."""
    if (code is None) == (credential is None):
        raise SecondFactorRequired()
    claims = tokens.verify(verifying_context(tokens.PENDING_2FA), pending_token, tokens.PENDING_2FA, clock.now())
    settings = get_settings()
    use = rate_limits_table.pending_attempt(claims["jti"], claims["exp"])
    if use.used:
        raise PendingTokenUsed()
    if use.attempts > settings.pending_2fa_attempts:
        raise PendingTokenExhausted()
    user, state = user_and_state(claims["sub"])
    if claims["iat"] <= user.signed_out_at:
        raise PendingTokenRevoked()
    now = clock.now()
    email_key = normalize_email(user.email)
    attempt = accounts.begin_attempt(email_key, now, client.source_ip)
    if credential is not None:
        return _verify_passkey(user, claims, credential, client, email_key, attempt, now)
    matched = matching_code(user, state, code, now)
    if matched is None:
        audit.record(audit.SIGN_IN_FAILED, reason=InvalidCode.code, **_subject(user))
        accounts.fail_attempt(email_key, attempt, now, **_subject(user))
        raise InvalidCode()
    # Signing in is one transaction: the session, the code spent, the pending token spent and the count
    # cleared, all or nothing; so a 503 (DynamoDB busy) leaves the same request good to send again.
    spend_code = dynamodb.labelled(_CODE, accounts_table.spend_code_op(user.id, **matched, role=user.role))
    spend_token = dynamodb.labelled(_PENDING_TOKEN, rate_limits_table.mark_pending_used_op(claims["jti"], now))
    forget_counts = accounts.signed_in_ops(email_key, client.source_ip, now)
    try:
        # The code's spending holds the user to their role (no user_unchanged check).
        return sessions.start(user, client, also=[spend_code, spend_token, *forget_counts, *recovery_events(
            user, matched)], amr=(*claims.get("amr", ["pwd"]), "otp"), user_unchanged=False)
    except TransactionCancelled as refused:
        code_refused, token_refused = refused.refused(_CODE), refused.refused(_PENDING_TOKEN)
        if code_refused and user_and_state(user.id)[0].role != user.role:  # removed: 404; role changed: again
            raise ServiceUnavailable("Your account changed while signing in; sign in again") from None
        if code_refused:  # a racing request spent this code first
            accounts.fail_attempt(email_key, attempt, now, **_subject(user))
            raise InvalidCode() from None
        if token_refused:  # a racing request signed in with this pending token first
            raise PendingTokenUsed() from None
        raise


def _verify_passkey(user: User, claims: dict, credential: dict, client: Client, email_key: str,
                    attempt: rate_limits_table.Attempt, now: int) -> sessions.SignedIn:
    """`verify` with a passkey: its assertion over a challenge issued for this pending token."""
    from latchkey.usecases import passkeys  # cold start: only when a passkey is used (see `reauthenticate`)

    ceremony = passkeys.Ceremony(passkeys.SECOND_FACTOR, f"pending:{claims['jti']}", user.id)
    try:
        asserted = passkeys.assert_passkey(credential, ceremony, InvalidPasskey)
    except InvalidPasskey:
        audit.record(audit.SIGN_IN_FAILED, reason=InvalidPasskey.code, **_subject(user))
        accounts.fail_attempt(email_key, attempt, now, **_subject(user))
        raise
    spend_token = dynamodb.labelled(_PENDING_TOKEN, rate_limits_table.mark_pending_used_op(claims["jti"], now))
    try:
        return sessions.start(user, client, also=[*asserted.ops(), spend_token, *accounts.signed_in_ops(
            email_key, client.source_ip, now)], amr=("pwd", *passkeys.AMR), user_unchanged=False)
    except TransactionCancelled as refused:
        if refused.refused(_PENDING_TOKEN):
            raise PendingTokenUsed() from None
        if passkeys.refused(refused):  # a racing use, or the role changed: again from the start
            raise InvalidPasskey() from None
        raise


def _subject(user: User) -> dict:
    return {"organization_id": user.organization_id, "user_id": user.id}


def _event(event_type: str, user: User) -> dict:
    return audit.item(event_type, **_subject(user))


def recovery_events(user: User, matched: dict) -> list[dict]:
    """A recovery code's use is an event of its own, written with the code's spending."""
    return [_event(audit.RECOVERY_CODE_USED, user)] if "recovery_hash" in matched else []


def user_and_state(user_id: str) -> tuple[User, accounts_table.TwoFactor]:
    found = accounts_table.get_user_and_two_factor(user_id)
    if found is None:
        raise UserNotFound()
    return found


def matching_code(user: User, state: accounts_table.TwoFactor, code: str, now: int) -> dict | None:
    """What `code` would spend: a TOTP step later than any used, or an unused recovery code; None if
    it is neither. Spending it (a conditional write) is what makes it work once under races."""
    if not state.enabled:
        return None
    if totp.is_totp_code(code):
        secret = totp.unseal(totp_key_material(), state.sealed_secret, user.id)
        step = totp.matching_step(secret, code, now)
        return {"totp_step": step} if step is not None and step > state.last_step else None
    recovery_hash = totp.recovery_hash(code)
    return {"recovery_hash": recovery_hash} if recovery_hash in state.recovery_hashes else None
