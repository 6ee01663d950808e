"""Resetting a password with the link the mailer sent (forgot-password is `recovery`): a flow on the
accounts, sessions, API keys and two-factor use cases. With two-factor on, a good code is asked for,
unless the factor is young enough for the reset to take it off (the owner's way back); a link mailed
to an address never verified reclaims the account for the address's owner.

The rules an owner relies on to take an account back are in docs/security/recovery.md."""

from __future__ import annotations

from latchkey.errors import InvalidOneTimeToken, ServiceUnavailable, TwoFactorRequired
from latchkey.rules import clock, one_time_tokens, passwords
from latchkey.rules.records import ADMIN, Client, User, normalize_email
from latchkey.store import accounts_table, dynamodb, invitations_table, rate_limits_table, sessions_table
from latchkey.store.dynamodb import TransactionCancelled
from latchkey.usecases import accounts, audit, mail, sessions, two_factor

RESET_CODE_ATTEMPTS = 5  # second-factor codes tried with one reset link


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
    now = clock.now()
    ended = [s.id for s in sessions_table.list_for_user(user.id, now) if s.created_at <= reset_at]
    sessions_table.revoke_all(user.id, ended, "password reset", now)
    if reclaim:
        # Cold start: only a reclaim revokes keys and apps, so only a reclaim loads their use cases.
        from latchkey.usecases import api_keys, apps

        _reclaim(user)
        api_keys.revoke_keys_of(user.organization_id)  # every member's: they all came in through this account
        apps.end_apps_of(user.organization_id, delete=True)  # the same: every app is the squatter's setup
    accounts_table.finish_reset(user.id, token_hash)


def _reclaim(user: User) -> None:
    """The address's owner takes the account back from whoever registered it without proving it: they
    are the organization's only member and admin, with no passkey or linked provider but what they add,
    no pending invitation and its settings reset.
    (Whoever else is in it came in through that account: invitees prove their own address.)"""
    now = clock.now()
    if user.role != ADMIN:
        try:
            accounts_table.change_role(user, ADMIN, also=[_event(audit.MEMBER_ROLE_CHANGED, user, _RECLAIMED)])
        except TransactionCancelled:
            raise ServiceUnavailable("The account changed while being reclaimed; send the request again") from None
    _clear_sign_in_methods(user)
    for member in accounts_table.list_members(user.organization_id):
        if member.id == user.id:
            continue
        sessions.end_sessions(member.id, _MEMBER_ENDED, now)  # before the removal and after it: none survives
        found = accounts_table.get_user_and_sign_in_methods(member.id)
        try:
            accounts_table.remove_member(member, found.identities if found else [],
                                         also=[_event(audit.MEMBER_REMOVED, member, _RECLAIMED)])
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


def _clear_sign_in_methods(user: User) -> None:
    """The passkeys and linked providers set up before the address was proved were whoever registered
    it's: they go, each audited, and the owner's password is the way in."""
    found = accounts_table.get_user_and_sign_in_methods(user.id)
    if found is None or not (found.passkeys or found.identities):
        return
    events = [*(audit.item(audit.PASSKEY_REMOVED, organization_id=user.organization_id, user_id=user.id,
                           reason=_RECLAIMED) for _ in range(found.passkeys)),
              *(audit.item(audit.IDENTITY_UNLINKED, organization_id=user.organization_id, user_id=user.id,
                           subject=f"identity:{identity.id}", reason=_RECLAIMED) for identity in found.identities)]
    try:
        accounts_table.clear_sign_in_methods(user, found.identities, also=events)
    except TransactionCancelled:
        raise ServiceUnavailable("The account changed while being reclaimed; send the request again") from None


def _event(event_type: str, user: User, reason: str = "") -> dict:
    """The change's audit event, written in its transaction."""
    return audit.item(event_type, organization_id=user.organization_id, user_id=user.id, reason=reason)
