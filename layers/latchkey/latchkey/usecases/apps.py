"""OAuth apps: an organization admin registers the apps that may sign its users in through Latchkey
(the authorization-code flow with PKCE) or, confidential ones, get machine tokens of their own.

- The app's id is its `client_id` (`app_…`). A confidential app also gets a `client_secret` (256
  random bits), answered once, at registration or rotation; only its SHA-256 is stored, and a
  rotation refuses the previous secret at once.
- Redirect URIs are matched exactly when a flow starts (`rules.redirect_urls.matches_redirect_uri`):
  https://, or http:// to a loopback address (whose port may vary, RFC 8252), or, for a public
  (native) app, a private-use scheme. No fragment, no credentials.
- `postLogoutRedirectUris` are where the app's logout (RP-initiated) may send the browser back:
  validated as redirect URIs are, matched exactly (no port leeway).
- `scopes` are the organization's API scopes (api/scopes.py) the app may be granted; `firstParty`
  apps sign users in without a consent page.
"""

from __future__ import annotations

import secrets

from latchkey.errors import AppNotFound, InvalidScope, LatchkeyError, PublicAppHasNoSecret
from latchkey.rules import clock, ids, oauth_metadata, record_tokens
from latchkey.rules.records import CONFIDENTIAL_APP, PUBLIC_APP, App, Principal
from latchkey.rules.redirect_urls import validate_redirect_url
from latchkey.rules.scopes import SCOPES
from latchkey.settings import get_settings
from latchkey.store import apps_table
from latchkey.store.dynamodb import TransactionCancelled
from latchkey.usecases import audit


def register(principal: Principal, name: str, redirect_uris: list[str], app_type: str, scopes: list[str],
             first_party: bool, post_logout_redirect_uris: list[str] = ()) -> tuple[App, str | None]:
    """The new app, and its secret for a confidential app (None for a public one): answered once."""
    secret = _new_secret() if app_type == CONFIDENTIAL_APP else None
    app = App(id=ids.new_id(ids.APP), organization_id=principal.organization_id, name=name, type=app_type,
              redirect_uris=_valid_redirect_uris(redirect_uris, app_type), scopes=_valid_scopes(scopes),
              first_party=first_party, created_by=principal.user_id, created_at=clock.now(),
              secret_hash=record_tokens.digest(secret) if secret else "",
              post_logout_redirect_uris=_valid_redirect_uris(post_logout_redirect_uris, app_type,
                                                             "postLogoutRedirectUris"))
    apps_table.create(app, also=[_event(audit.APP_REGISTERED, app, principal)])
    return app, secret


class RegistrationRefused(Exception):
    """A dynamic registration refused, in RFC 7591's form (`error`, `error_description`)."""

    def __init__(self, status: int, error: str, description: str):
        super().__init__(description)
        self.status, self.error, self.description = status, error, description


DYNAMIC = "dynamic-registration"  # the `createdBy` of a client that registered itself


def register_dynamic(metadata: object) -> App:
    """RFC 7591: a client (an AI agent, a CLI) registers itself, with no credential, into the organization
    OAuthRegistrationOrganizationId names: always public (PKCE, no secret), never first party (its users
    are asked to consent), redirect URIs https:// or loopback http:// only (no private schemes: no one
    vouches for the app), scopes a user's sign-in and the API's read scopes at most. Audited."""
    organization = get_settings().oauth_registration_organization
    if not organization:
        raise RegistrationRefused(403, "access_denied", "Dynamic client registration is off on this service")
    if not isinstance(metadata, dict):
        raise RegistrationRefused(400, "invalid_client_metadata", "Send the client's metadata as a JSON object")
    uris = _metadata_uris(metadata, "redirect_uris", required=True)
    logout_uris = _metadata_uris(metadata, "post_logout_redirect_uris", required=False)
    if metadata.get("token_endpoint_auth_method", "none") != "none":
        raise RegistrationRefused(400, "invalid_client_metadata", "Only public clients register here: "
                                  "token_endpoint_auth_method must be none (PKCE instead of a secret)")
    if not set(metadata.get("grant_types") or ["authorization_code"]) <= {"authorization_code", "refresh_token"}:
        raise RegistrationRefused(400, "invalid_client_metadata", "grant_types: authorization_code, refresh_token")
    if set(metadata.get("response_types") or ["code"]) != {"code"}:
        raise RegistrationRefused(400, "invalid_client_metadata", "response_types: code")
    scope = metadata.get("scope", "")
    requested = scope.split() if isinstance(scope, str) else None
    if requested is None or not set(requested) <= set(oauth_metadata.registrable_scopes()):
        raise RegistrationRefused(400, "invalid_client_metadata", "scope: at most "
                                  + " ".join(oauth_metadata.registrable_scopes()))
    name = metadata.get("client_name") or "Registered client"
    if not isinstance(name, str) or not 0 < len(name.strip()) <= 100 or not name.isprintable():
        raise RegistrationRefused(400, "invalid_client_metadata", "client_name: 1 to 100 printable characters")
    app = App(id=ids.new_id(ids.APP), organization_id=organization, name=name.strip(), type=PUBLIC_APP,
              redirect_uris=uris, scopes=tuple(s for s in dict.fromkeys(requested) if s in SCOPES),
              first_party=False, created_by=DYNAMIC, created_at=clock.now(), post_logout_redirect_uris=logout_uris)
    apps_table.create(app, also=[audit.item(audit.APP_REGISTERED, organization_id=organization,
                                            subject=f"app:{app.id}", reason="dynamic")])
    return app


def _metadata_uris(metadata: dict, field: str, required: bool) -> tuple[str, ...]:
    uris = metadata.get(field, [] if not required else None)
    error = "invalid_redirect_uri" if field == "redirect_uris" else "invalid_client_metadata"
    well_formed = isinstance(uris, list) and all(isinstance(u, str) for u in uris) and len(uris) <= 10
    if not well_formed or (required and not uris):
        raise RegistrationRefused(400, error, f"{field}: a list of up to 10 URIs"
                                  + (", at least one" if required else ""))
    try:
        return tuple(dict.fromkeys(validate_redirect_url(u, field=field) for u in uris))
    except LatchkeyError as refused:
        reason = refused.details[0]["message"] if refused.details else refused.message
        raise RegistrationRefused(400, error, f"{field}: {reason}") from None


def registration_answer(app: App) -> dict:
    """RFC 7591 3.2.1: the client's id and the metadata as registered."""
    return {"client_id": app.id, "client_id_issued_at": app.created_at, "client_name": app.name,
            "redirect_uris": list(app.redirect_uris), "post_logout_redirect_uris": list(app.post_logout_redirect_uris),
            "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
            "token_endpoint_auth_method": "none", "scope": " ".join([*oauth_metadata.OPENID_SCOPES, *app.scopes])}


def list_for(principal: Principal) -> list[App]:
    return sorted(apps_table.list_for_organization(principal.organization_id), key=lambda a: a.id)


def update(principal: Principal, client_id: str, changes: dict) -> App:
    """The app with `changes` (name, redirect_uris, scopes, first_party; absent: unchanged)."""
    app = _find(principal, client_id)
    if "redirect_uris" in changes:
        changes["redirect_uris"] = _valid_redirect_uris(changes["redirect_uris"], app.type)
    if "post_logout_redirect_uris" in changes:
        changes["post_logout_redirect_uris"] = _valid_redirect_uris(changes["post_logout_redirect_uris"], app.type,
                                                                    "postLogoutRedirectUris")
    if "scopes" in changes:
        changes["scopes"] = _valid_scopes(changes["scopes"])
    if changes and not apps_table.update(app, changes, also=[
            _event(audit.APP_UPDATED, app, principal, reason=",".join(sorted(changes)))]):
        raise AppNotFound()  # deleted meanwhile
    return app._replace(**changes)


def delete(principal: Principal, client_id: str) -> None:
    app = _find(principal, client_id)
    try:
        apps_table.delete(app, also=[_event(audit.APP_DELETED, app, principal)])
    except TransactionCancelled:
        raise AppNotFound() from None  # deleted meanwhile


def rotate_secret(principal: Principal, client_id: str) -> str:
    """A confidential app's new secret (answered once); the previous one is refused from now on."""
    app = _find(principal, client_id)
    if app.type != CONFIDENTIAL_APP:
        raise PublicAppHasNoSecret()
    secret = _new_secret()
    if not apps_table.update(app, {"secret_hash": record_tokens.digest(secret), "secret_rotated_at": clock.now()},
                             also=[_event(audit.APP_SECRET_ROTATED, app, principal)]):
        raise AppNotFound()
    return secret


def end_apps_of(organization_id: str, user_id: str | None = None, *, delete: bool = False) -> int:
    """What ends with a person's access, as their API keys do: the confidential apps `user_id` created
    (every app, with None) lose their secret, which only that person saw, and the machine tokens issued
    with it stop at once (an admin rotates the secret to use the app again); with `delete`, the apps
    go (the organization went, or its squatter's setup is undone). Returns how many."""
    now, ended = clock.now(), 0
    for app in apps_table.list_for_organization(organization_id):
        if user_id is not None and app.created_by != user_id:
            continue
        if delete:
            try:
                apps_table.delete(app, also=[audit.item(audit.APP_DELETED, organization_id=organization_id,
                                                        subject=f"app:{app.id}", reason="ACCESS_ENDED")])
            except TransactionCancelled:
                continue  # deleted meanwhile
            ended += 1
        elif app.type == CONFIDENTIAL_APP:
            ended += apps_table.void_secret(app, now, also=[audit.item(
                audit.APP_SECRET_VOIDED, organization_id=organization_id, subject=f"app:{app.id}",
                user_id=app.created_by)])
    return ended


def _find(principal: Principal, client_id: str) -> App:
    """The organization's app `client_id`; another organization's is as unknown as a made-up id."""
    app = apps_table.get(client_id) if ids.is_id(client_id, ids.APP) else None
    if app is None or app.organization_id != principal.organization_id:
        raise AppNotFound()
    return app


def _new_secret() -> str:
    return f"lks_{secrets.token_urlsafe(32)}"


def _valid_redirect_uris(uris: list[str], app_type: str, field: str = "redirectUris") -> tuple[str, ...]:
    return tuple(dict.fromkeys(validate_redirect_url(uri, field=field, private_scheme=app_type == PUBLIC_APP)
                               for uri in uris))


def _valid_scopes(scopes: list[str]) -> tuple[str, ...]:
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise InvalidScope(f"Unknown scope '{unknown[0]}'; scopes are {', '.join(SCOPES)}")
    return tuple(dict.fromkeys(scopes))


def _event(event_type: str, app: App, principal: Principal, reason: str = "") -> dict:
    return audit.item(event_type, organization_id=app.organization_id, subject=f"app:{app.id}", reason=reason,
                      actor=audit.actor_of(principal))
