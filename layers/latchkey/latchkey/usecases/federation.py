"""Federation: signing in with an upstream identity provider (Google, GitHub, any OpenID provider) and
the identities a user links (docs: concepts, "Sign in with Google, GitHub or an OpenID provider").

`start` sends the browser to the provider with a fresh `state` (stored hashed, bound to the browser by
a cookie, spent once, 10 minutes), a `nonce` (OpenID) and a PKCE S256 challenge. `finish` spends the
state (the same browser's cookie, in time), exchanges the code and reads who signed in (the ID token's
signature, issuer, audience, nonce and expiry checked; GitHub's user and emails API), then:
- an identity already linked signs its user in;
- a new identity whose address has no account creates one (a user administering a new organization,
  no password), as sign-up does, the address verified if the provider says so;
- a new identity whose address has an account is linked to it only if the provider and Latchkey both
  consider the address verified; else ACCOUNT_EXISTS_UNLINKED (sign in, then link from settings).
With two-factor on, a pending token (verify-2fa finishes, amr `fed` + `otp`); else a session, amr `fed`.
A started link (`start(..., link_user=…)`, step-up) links the identity to the signed-in user instead."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, NamedTuple

from latchkey.errors import (
    AccountExistsUnlinked,
    FederationFailed,
    IdentityLinkedElsewhere,
    IdentityNotFound,
    InvalidOAuthState,
    ProviderNotFound,
    UserNotFound,
)
from latchkey.rules import clock, federation, ids
from latchkey.rules.federation import Provider
from latchkey.rules.records import Client, User, normalize_email
from latchkey.rules.redirect_urls import with_query_param
from latchkey.rules.sign_up import new_account
from latchkey.settings import get_settings
from latchkey.store import accounts_table, rate_limits_table
from latchkey.store.dynamodb import TransactionCancelled
from latchkey.usecases import accounts, audit, mail, sessions

if TYPE_CHECKING:  # the federation layer's module: imported by the functions that carry it, when used
    from latchkey.store.identity_providers import Profile


def providers() -> tuple[Provider, ...]:
    """The providers that are on, for the sign-in page's buttons."""
    s = get_settings()
    return federation.providers(s.google_client_id, s.github_client_id, s.oidc_issuer, s.oidc_client_id, s.oidc_name)


def provider(name: str) -> Provider:
    found = next((p for p in providers() if p.name == name), None)
    if found is None:
        raise ProviderNotFound()
    return found


class Started(NamedTuple):
    url: str  # the provider's authorization URL, for the browser
    browser: str  # the cookie that binds the state to this browser


def start(name: str, redirect_uri: str, return_to: str | None, link_user: str = "") -> Started:
    """A new sign-in (or, with `link_user`, a link) at the provider: its state stored (one PutItem)."""
    from latchkey.store import identity_providers  # the federation layer's Authlib: its functions only

    chosen = provider(name)
    state, browser = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    held = rate_limits_table.OAuthState(chosen.name, secrets.token_urlsafe(32), secrets.token_urlsafe(48),
                                        federation.return_path(return_to), link_user)
    url = identity_providers.authorization_url(chosen, redirect_uri, state, held.nonce, held.verifier)
    rate_limits_table.put_oauth_state(federation.fingerprint(state), federation.fingerprint(browser), held,
                                      clock.now() + federation.STATE_LIFETIME)
    return Started(url, browser)


class Finished(NamedTuple):
    """Where the browser goes next (a path on the dashboard's origin) and what it carries: a session,
    a pending two-factor token, or nothing (a link)."""

    return_to: str
    signed_in: sessions.SignedIn | accounts.PendingTwoFactor | None = None
    linked: str = ""  # the provider linked, for a link


def finish(name: str, state: str, code: str, browser: str, redirect_uri: str, client: Client) -> Finished:
    """The provider's callback: the state spent, the code exchanged, the person signed in (or linked)."""
    from latchkey.store import identity_providers

    chosen = provider(name)
    held = None
    if state and browser:  # spent here, once, by the browser it was issued to
        held = rate_limits_table.take_oauth_state(federation.fingerprint(state), federation.fingerprint(browser),
                                                  clock.now())
    if held is None or held.provider != chosen.name:
        raise InvalidOAuthState()
    if not code:
        raise FederationFailed("The sign-in was cancelled at the provider")
    who = identity_providers.profile(chosen, code, redirect_uri, held.verifier, held.nonce)
    if held.link_user_id:
        _link(accounts.current_user(held.link_user_id), chosen, who,
              accounts_table.find_identity(chosen.name, who.subject))
        return Finished(with_query_param(held.return_to, "linked", chosen.name), linked=chosen.name)
    return Finished(held.return_to, _sign_in(chosen, who, client))


def _sign_in(chosen: Provider, who: Profile, client: Client) -> sessions.SignedIn | accounts.PendingTwoFactor:
    user_id = accounts_table.find_identity(chosen.name, who.subject)
    user = accounts_table.get_user(user_id) if user_id else None
    if user_id and user is None:  # its account went before identities went with accounts: start afresh
        accounts_table.forget_identity(chosen.name, who.subject, user_id)
    if user is None:
        if not who.email:
            raise FederationFailed("The provider shared no email address")
        existing = accounts_table.find_user_id(who.email)
        if existing is None:
            return _sign_up(chosen, who, client)
        user = accounts.current_user(existing)
        # Linking by address: only when both sides vouch for it, or an attacker's unverified address at a
        # provider (or a squatted, never-verified account here) would take the account over.
        if not (who.email_verified and user.email_verified):
            audit.record(audit.SIGN_IN_FAILED, organization_id=user.organization_id, user_id=user.id,
                         reason=AccountExistsUnlinked.code)
            raise AccountExistsUnlinked()
        _link(user, chosen, who, owner=None)  # not linked: looked up above
    now = clock.now()
    if user.two_factor_enabled:
        return accounts.pending_two_factor(user, now, federation.AMR)
    return sessions.start(user, client, amr=federation.AMR)


def _sign_up(chosen: Provider, who: Profile, client: Client) -> sessions.SignedIn:
    """A first sign-in with an address no account uses: the account, as sign-up makes it (no password)."""
    name = (who.name or who.email.split("@", 1)[0]).strip()[:100]
    user, organization = new_account(who.email, name, email_verified=who.email_verified)
    identity = _identity(chosen, who)
    linked = audit.item(audit.IDENTITY_LINKED, organization_id=user.organization_id, user_id=user.id,
                        subject=f"identity:{identity.id}", reason=chosen.name)
    accounts_table.create_user_with_organization(user, "", organization, None, identity, also=[linked])
    return sessions.start(user, client, amr=federation.AMR, user_unchanged=False)


def _identity(chosen: Provider, who: Profile) -> accounts_table.Identity:
    return accounts_table.Identity(ids.new_id(ids.IDENTITY), chosen.name, who.subject, normalize_email(who.email)
                                   if who.email else "", clock.iso())


def _link(user: User, chosen: Provider, who: Profile, owner: str | None) -> None:
    """Links the identity to `user` (audited, the user told); IdentityLinkedElsewhere if it is another's
    (`owner`: the user it signs in now, if any)."""
    if owner == user.id:
        return
    if owner:
        raise IdentityLinkedElsewhere()
    identity = _identity(chosen, who)
    try:
        accounts_table.link_identity(user, identity, also=[audit.item(
            audit.IDENTITY_LINKED, organization_id=user.organization_id, user_id=user.id,
            subject=f"identity:{identity.id}", reason=chosen.name)])
    except TransactionCancelled:
        raise UserNotFound() from None  # gone, or moved to another organization, meanwhile
    mail.notify("notice.identity-linked", to=user.email, name=user.name, provider=chosen.label)


def identities(user_id: str) -> list[dict]:
    found = accounts_table.get_user_and_sign_in_methods(user_id)
    if found is None:
        raise UserNotFound()
    return [i.public() for i in found.identities]


def unlink(user_id: str, identity_id: str) -> None:
    """Unlinks one of the user's identities, never their last way to sign in: a password, a passkey or
    another identity must remain (LAST_SIGN_IN_METHOD; checked in the write: a racing unlink of the
    other cannot win too)."""
    found = accounts_table.get_user_and_sign_in_methods(user_id)
    if found is None:
        raise UserNotFound()
    identity = next((i for i in found.identities if i.id == identity_id), None)
    if identity is None:
        raise IdentityNotFound()
    user = found.user
    others = tuple(i.id for i in found.identities if i.id != identity_id)
    removed = audit.item(audit.IDENTITY_UNLINKED, organization_id=user.organization_id, user_id=user.id,
                         subject=f"identity:{identity.id}", reason=identity.provider)
    # Another way in must remain: a passkey, another identity (still there when this one goes), or a
    # password (checked in the write, never read).
    keep = () if found.passkeys else others[:1]
    if not accounts_table.unlink_identity(user, identity, keep, password_needed=not (found.passkeys or others),
                                          also=[removed]):
        raise IdentityNotFound()
    label = next((p.label for p in providers() if p.name == identity.provider), identity.provider)
    mail.notify("notice.identity-unlinked", to=user.email, name=user.name, provider=label)
