"""Passkeys (WebAuthn): registering, listing, renaming and removing them, and the ceremonies that use
one: a passwordless sign-in, the second factor of a password sign-in, and the step-up.

Every ceremony starts with options whose challenge is stored (the rate-limits table, with a TTL) for
one purpose and bound to what asked for it: the caller's session (register, step-up), a pending
two-factor token (second factor), or nothing (a passwordless sign-in, which has no caller yet). The
answer's challenge is spent with a conditional delete that also checks the purpose, the binding and
the five minutes, so it works once, only where it was issued, and only in time. The signature
counter must rise (or stay 0 for authenticators without one); one that does not is a clone, refused
and audited. A passkey used with user verification counts as two factors: amr ["swk", "user"]."""

from __future__ import annotations

from typing import NamedTuple

from latchkey.errors import (
    InvalidPasskey,
    InvalidPasskeyOnSignedInRoute,
    PasskeyAlreadyRegistered,
    PasskeyNotFound,
    UserNotFound,
)
from latchkey.rules import clock, tokens
from latchkey.rules.records import Client, Principal, User
from latchkey.settings import get_settings
from latchkey.store import accounts_table, dynamodb, rate_limits_table
from latchkey.store.accounts_table import Passkey
from latchkey.store.token_keys import verifying_context
from latchkey.usecases import audit, mail, sessions

REGISTER, SIGN_IN, SECOND_FACTOR, STEP_UP = "register", "sign-in", "second-factor", "step-up"
# The names of a ceremony's transaction items (`dynamodb.labelled`), by which their refusal is asked.
CHALLENGE = "challenge"  # the challenge spent (refused: a racing request spent it first)
COUNTER = "passkey counter"  # the passkey's counter and last use (refused: a racing use, or the role changed)
AMR = ("swk", "user")  # RFC 8176: a key's proof of possession, and the user verified on the device


def _webauthn():
    """The WebAuthn rules (py_webauthn, from the passkeys layer): loaded by the ceremonies only, so
    listing, renaming and removing passkeys carry neither the layer nor its cold start."""
    from latchkey.rules import passkeys

    return passkeys
ANYONE = "-"  # what a passwordless sign-in's challenge is bound to: no caller yet


def _issue(purpose: str, bound_to: str) -> bytes:
    challenge = _webauthn().new_challenge()
    rate_limits_table.put_challenge(_webauthn().encode(challenge), purpose, bound_to,
                                    clock.now() + _webauthn().CHALLENGE_SECONDS)
    return challenge


def _user_and_passkeys(user_id: str) -> tuple[User, list[Passkey]]:
    found = accounts_table.get_user_and_passkeys(user_id)
    if found is None:
        raise UserNotFound()
    return found


def _subject(user: User, passkey_id: str = "") -> dict:
    return {"organization_id": user.organization_id, "user_id": user.id,
            **({"subject": f"passkey:{passkey_id}"} if passkey_id else {})}


# --- the user's passkeys -------------------------------------------------------------------------------


def register_options(principal: Principal) -> dict:
    """Creation options for a new passkey of the caller (their others excluded), bound to their session."""
    user, existing = _user_and_passkeys(principal.user_id)
    settings = get_settings()
    challenge = _issue(REGISTER, principal.session_id)
    return {"options": _webauthn().registration_options(
        settings.passkey_rp_id, settings.totp_issuer, user.id, user.email, user.name, challenge,
        [p.id for p in existing])}


def register(principal: Principal, credential: dict, name: str | None) -> Passkey:
    """Checks the new credential against the challenge this session was given and stores it; the user
    is told by mail and the event audited."""
    settings = get_settings()
    challenge = _challenge(credential, REGISTER, principal.session_id, InvalidPasskeyOnSignedInRoute)
    try:
        registered = _webauthn().check_registration(credential, challenge.value, settings.passkey_rp_id,
                                                 list(settings.passkey_origins))
    except _webauthn().Refused:
        raise InvalidPasskeyOnSignedInRoute() from None
    user, existing = _user_and_passkeys(principal.user_id)
    passkey = Passkey(id=registered.credential_id, name=(name or "").strip() or f"Passkey {len(existing) + 1}",
                      public_key=registered.public_key, sign_count=registered.sign_count, created_at=clock.iso(),
                      last_used_at=None, backed_up=registered.backed_up)
    try:
        added = accounts_table.add_passkey(user.id, passkey, also=[
            audit.item(audit.PASSKEY_ADDED, **_subject(user, passkey.id)), challenge.spend_op()])
    except dynamodb.TransactionCancelled as cancelled:
        if cancelled.refused(CHALLENGE):  # a racing request spent the challenge
            raise InvalidPasskeyOnSignedInRoute() from None
        raise
    if not added:
        raise PasskeyAlreadyRegistered()
    mail.notify("notice.passkey-added", to=user.email, name=user.name, passkey=passkey.name)
    return passkey


def list_passkeys(principal: Principal) -> list[Passkey]:
    return _user_and_passkeys(principal.user_id)[1]


def rename(principal: Principal, passkey_id: str, name: str) -> Passkey:
    if not accounts_table.rename_passkey(principal.user_id, passkey_id, name.strip()):
        raise PasskeyNotFound()
    return _find(list_passkeys(principal), passkey_id, PasskeyNotFound)


def remove(principal: Principal, passkey_id: str) -> None:
    user, existing = _user_and_passkeys(principal.user_id)
    passkey = _find(existing, passkey_id, PasskeyNotFound)
    if not accounts_table.remove_passkey(user.id, passkey_id,
                                         also=[audit.item(audit.PASSKEY_REMOVED, **_subject(user, passkey_id))]):
        raise PasskeyNotFound()  # a racing request removed it
    mail.notify("notice.passkey-removed", to=user.email, name=user.name, passkey=passkey.name)


def _find(existing: list[Passkey], passkey_id: str, missing: type[Exception]) -> Passkey:
    for passkey in existing:
        if passkey.id == passkey_id:
            return passkey
    raise missing()


# --- the ceremonies that use one -----------------------------------------------------------------------


class Ceremony(NamedTuple):
    purpose: str
    bound_to: str
    user_id: str  # "" for a passwordless sign-in: the passkey names its user


def login_options(pending_token: str | None, access_token: str | None) -> dict:
    """Request options: with a pending two-factor token, for its user's passkeys (second factor); with a
    Bearer token, for its user's passkeys bound to its session (step-up); with neither, for any
    discoverable credential (a passwordless sign-in)."""
    ceremony = ceremony_of(pending_token, access_token)
    allowed = [p.id for p in _user_and_passkeys(ceremony.user_id)[1]] if ceremony.user_id else None
    challenge = _issue(ceremony.purpose, ceremony.bound_to)
    return {"options": _webauthn().authentication_options(get_settings().passkey_rp_id, challenge, allowed)}


def ceremony_of(pending_token: str | None, access_token: str | None) -> Ceremony:
    now = clock.now()
    if pending_token:
        claims = tokens.verify(verifying_context(tokens.PENDING_2FA), pending_token, tokens.PENDING_2FA, now)
        return Ceremony(SECOND_FACTOR, f"pending:{claims['jti']}", claims["sub"])
    if access_token:
        principal = sessions.authenticate(access_token)
        return Ceremony(STEP_UP, principal.session_id, principal.user_id)
    return Ceremony(SIGN_IN, ANYONE, "")


class Challenge(NamedTuple):
    value: str  # base64url, as clientDataJSON carries it
    purpose: str
    bound_to: str

    def spend_op(self) -> dynamodb.Labelled:
        """The challenge spent, a transaction item named CHALLENGE."""
        return dynamodb.labelled(CHALLENGE, rate_limits_table.take_challenge_op(self.value, self.purpose,
                                                                                self.bound_to, clock.now()))


def _challenge(credential: dict, purpose: str, bound_to: str, refusal: type[Exception]) -> Challenge:
    """The credential's challenge, if it was issued for `purpose` to `bound_to`, unspent and in time.
    It is spent with what it allows (`Challenge.spend_op`), in one transaction."""
    try:
        value = _webauthn().challenge_of(credential)
    except _webauthn().Refused:
        raise refusal() from None
    if not rate_limits_table.challenge_live(value, purpose, bound_to, clock.now()):
        raise refusal()
    return Challenge(value, purpose, bound_to)


class Asserted(NamedTuple):
    user: User
    passkey: Passkey
    new_count: int
    challenge: Challenge

    def ops(self) -> list[dynamodb.Labelled]:
        """The passkey's counter and last use (COUNTER), and the challenge spent (CHALLENGE): two
        transaction items, written with what the assertion does (either refused: `refused`)."""
        return [dynamodb.labelled(COUNTER, accounts_table.passkey_used_op(
            self.user.id, self.passkey, self.new_count, clock.iso(), self.user.role)), self.challenge.spend_op()]


def refused(cancelled: dynamodb.TransactionCancelled) -> bool:
    """Whether a transaction's `Asserted.ops` were refused: a racing use moved the counter or spent the
    challenge first, or the user's role changed."""
    return cancelled.refused(COUNTER, CHALLENGE)


def assert_passkey(credential: dict, ceremony: Ceremony, refusal: type[Exception]) -> Asserted:
    """The credential is a valid assertion of one of the user's passkeys, with user verification, over
    a challenge issued for this ceremony: who and which passkey. Refused (`refusal`) otherwise; a
    counter that did not rise is also audited as a cloned passkey."""
    settings = get_settings()
    challenge = _challenge(credential, ceremony.purpose, ceremony.bound_to, refusal)
    try:
        user_id = ceremony.user_id or _webauthn().user_handle_of(credential)
        credential_id = _webauthn().credential_id_of(credential)
    except _webauthn().Refused:
        raise refusal() from None
    found = accounts_table.get_user_and_passkeys(user_id)
    if found is None:
        raise refusal()
    user, existing = found
    passkey = _find(existing, credential_id, refusal)
    try:
        new_count = _webauthn().check_assertion(credential, challenge.value, settings.passkey_rp_id,
                                             list(settings.passkey_origins), passkey.public_key)
    except _webauthn().Refused:
        raise refusal() from None
    if not _webauthn().counter_rose(passkey.sign_count, new_count):
        audit.record(audit.PASSKEY_CLONE_DETECTED, reason=f"counter {new_count} after {passkey.sign_count}",
                     **_subject(user, passkey.id))
        raise refusal()
    return Asserted(user, passkey, new_count, challenge)


def sign_in(credential: dict, client: Client) -> sessions.SignedIn:
    """A passwordless sign-in: exactly login's answer. No TOTP is asked: a passkey with user
    verification is two factors already."""
    asserted = assert_passkey(credential, Ceremony(SIGN_IN, ANYONE, ""), InvalidPasskey)
    try:
        # The counter's condition also holds the user to their role (as user_unchanged does).
        return sessions.start(asserted.user, client, also=asserted.ops(), amr=AMR, user_unchanged=False)
    except dynamodb.TransactionCancelled as cancelled:
        if refused(cancelled):
            raise InvalidPasskey() from None
        raise


def step_up(principal: Principal, credential: dict) -> sessions.SignedIn:
    """Step-up with a passkey: a fresh pair of the caller's session, its auth_time now; the challenge is
    spent in the same transaction, so a 503 leaves the same assertion good to send again."""
    asserted = assert_passkey(credential, Ceremony(STEP_UP, principal.session_id, principal.user_id),
                              InvalidPasskeyOnSignedInRoute)
    try:
        return sessions.reauthenticated(principal, list(AMR), also=asserted.ops())
    except dynamodb.TransactionCancelled as cancelled:
        if refused(cancelled):
            raise InvalidPasskeyOnSignedInRoute() from None
        raise
