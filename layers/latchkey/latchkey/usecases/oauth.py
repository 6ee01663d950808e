"""The OAuth 2.1 / OpenID Connect provider: Latchkey signs an organization's users in to the apps it
registered (`apps`), and gives confidential apps machine tokens of their own.

The issuer is `Settings.oauth_issuer_url` (OAuthIssuerUrl), or, unset, the URL a request reached the
API at; every document and token names it, so a relying party that discovered the provider at one URL
accepts only what that URL issues.
"""

from __future__ import annotations

import secrets
from typing import NamedTuple

from latchkey.errors import AuthorizationRequestNotFound, LatchkeyError
from latchkey.rules import clock, ids, oauth_metadata, record_tokens, tokens
from latchkey.rules.records import CONFIDENTIAL_APP, App, Client, Principal, User
from latchkey.settings import get_settings
from latchkey.store import accounts_table, apps_table, oauth_grants_table
from latchkey.store.token_keys import verifying_context
from latchkey.usecases import audit, sessions


def issuer(request_url: str) -> str:
    """The issuer: the configured URL, or the one the request came in at."""
    return get_settings().oauth_issuer_url or request_url


def server_metadata(issuer_url: str, registration: bool) -> dict:
    """The authorization server's metadata (RFC 8414; OpenID Connect Discovery 1.0); `registration`:
    dynamic client registration is on (`registration_endpoint`)."""
    return oauth_metadata.authorization_server(issuer_url, registration)


def resource_metadata(issuer_url: str) -> dict:
    """The API's protected-resource metadata (RFC 9728)."""
    return oauth_metadata.protected_resource(issuer_url)


# --- clients ----------------------------------------------------------------------------------------

REQUEST_TTL = 600  # an authorization request waits this long for the user to sign in and decide
CODE_TTL = 60  # an authorization code is good once, for a minute


def find_client(client_id: str) -> App | None:
    return apps_table.get(client_id) if ids.is_id(client_id or "", ids.APP) else None


def allowed_scopes(app: App) -> tuple[str, ...]:
    """What the app may be granted: a user's sign-in (OpenID Connect's scopes) and the API scopes it
    was registered with."""
    return (*oauth_metadata.OPENID_SCOPES, *app.scopes)


def grant_types(app: App) -> tuple[str, ...]:
    """Public apps sign users in; confidential ones also get machine tokens of their own."""
    user_grants = ("authorization_code", "refresh_token")
    return (*user_grants, "client_credentials") if app.type == CONFIDENTIAL_APP else user_grants


def secret_matches(app: App, secret: str) -> bool:
    return bool(app.secret_hash) and record_tokens.matches(app.secret_hash, secret or "")


# --- authorization requests, decisions and codes ------------------------------------------------------


class Pending(NamedTuple):
    """An authorization request waiting for the user: its app, its query as sent, when it began."""

    id: str
    app: App
    query: str
    created_at: int


class SignedInUser(NamedTuple):
    """Who decides: the signed-in user (Authlib's `grant_user`), in the hosted page's session
    `session_id`, who proved who they are at `auth_time` by `amr` (RFC 8176)."""

    user_id: str
    organization_id: str
    auth_time: int
    amr: tuple[str, ...] = ("pwd",)
    session_id: str = ""

    def get_user_id(self) -> str:
        return self.user_id


SIGN_IN, CONSENT, ALLOW, DENY = "sign_in", "consent", "allow", "deny"


def open_request(app: App, query: str) -> str:
    """Keeps a validated authorization request while the user signs in; its id (unguessable)."""
    request_id = secrets.token_urlsafe(24)
    now = clock.now()
    oauth_grants_table.put_request(request_id, app.id, query, now, now + REQUEST_TTL)
    return request_id


def close_request(request_id: str) -> None:
    """The request decided: its id is refused from now on."""
    oauth_grants_table.delete_request(request_id)


def pending(request_id: str) -> Pending:
    found = oauth_grants_table.get_request(request_id) if 16 <= len(request_id) <= 64 else None
    app = find_client(found["clientId"]) if found and clock.now() < found["expiresAt"] else None
    if app is None:
        raise AuthorizationRequestNotFound()
    return Pending(request_id, app, found["query"], found["createdAt"])


def silent(params: dict) -> bool:
    """Whether the request asks for no user interaction (`prompt=none`); ValueError if it names `none`
    with another prompt (OpenID Connect Core 3.1.2.1)."""
    prompts = set((params.get("prompt") or "").split())
    if "none" in prompts and len(prompts) > 1:
        raise ValueError("prompt=none cannot be combined with another prompt")
    return "none" in prompts


def decide(principal: Principal, request: Pending, params: dict, decision: str | None) -> str:
    """What the signed-in user's answer comes to: SIGN_IN (the request wants a fresher sign-in:
    `prompt=login` after it began, or `max_age`), CONSENT (an app not first-party, scopes not yet
    consented to), ALLOW or DENY (a user of another organization is always denied; a denial is not
    remembered, a consent is, per user and app)."""
    now = clock.now()
    prompts = set((params.get("prompt") or "").split())
    max_age = params.get("max_age")
    if "login" in prompts and principal.auth_time < request.created_at:
        return SIGN_IN
    if max_age is not None and (not max_age.isdigit() or now - principal.auth_time > int(max_age)):
        return SIGN_IN
    if principal.organization_id != request.app.organization_id or decision == DENY:
        return DENY
    scopes = tuple((params.get("scope") or "").split())
    if request.app.first_party:
        return ALLOW
    consented = set(oauth_grants_table.get_consent(principal.user_id, request.app.id))
    if decision == ALLOW:
        oauth_grants_table.put_consent(principal.user_id, request.app.id, tuple(sorted(consented | set(scopes))), now)
        return ALLOW
    return ALLOW if "consent" not in prompts and set(scopes) <= consented else CONSENT


def save_code(code: str, app: App, user: SignedInUser, *, redirect_uri: str, scope: str, nonce: str,
              code_challenge: str, code_challenge_method: str) -> None:
    """The authorization code, kept as its SHA-256 for `CODE_TTL`, bound to the app, the redirect URI,
    the PKCE challenge and the user who granted it."""
    now = clock.now()
    oauth_grants_table.put_code(record_tokens.digest(code), {
        "clientId": app.id, "organizationId": app.organization_id, "userId": user.user_id,
        "redirectUri": redirect_uri, "scope": scope, "nonce": nonce or None, "codeChallenge": code_challenge,
        "codeChallengeMethod": code_challenge_method, "authTime": user.auth_time, "amr": list(user.amr),
        "browserSessionId": user.session_id or None, "createdAt": now, "expiresAt": now + CODE_TTL})


class GrantedCode(NamedTuple):
    """An authorization code, spent: what it was bound to (Authlib's authorization-code model)."""

    client_id: str
    user_id: str
    redirect_uri: str
    scope: str
    nonce: str
    code_challenge: str
    code_challenge_method: str
    auth_time: int
    amr: tuple[str, ...] = ("pwd",)
    browser_session_id: str = ""

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time


def spend_code(code: str, app: App) -> GrantedCode | None:
    """The app's code, spent now (whatever follows: a wrong verifier burns it too); None if it is
    unknown, another app's, expired or used."""
    found = oauth_grants_table.spend_code(record_tokens.digest(code or ""), app.id, clock.now())
    if found is None:
        return None
    return GrantedCode(found["clientId"], found["userId"], found["redirectUri"], found.get("scope", ""),
                       found.get("nonce", ""), found["codeChallenge"], found["codeChallengeMethod"], found["authTime"],
                       tuple(found.get("amr") or ("pwd",)), found.get("browserSessionId", ""))


def member_of(app: App, code: GrantedCode) -> User | None:
    """The user the code was granted to, if they are still a member of the app's organization."""
    user = accounts_table.get_user(code.user_id)
    return user if user is not None and user.organization_id == app.organization_id else None


def sign_in(app: App, user: User, code: GrantedCode, client: Client) -> sessions.SignedIn:
    """An OAuth sign-in is a Latchkey session (listed and revocable like any other); its access token
    names the app (`client_id`) and the granted `scope`, and the authorizer takes it as any other. It
    carries the hosted page's sign-in (`auth_time`, `amr`) and names that session, so that the app's
    logout can end both."""
    return sessions.start(user, client, amr=code.amr, client_id=app.id, scope=code.scope, auth_time=code.auth_time,
                          browser_session_id=code.browser_session_id)


def id_token_claims(issuer_url: str, app: App, user: User, code: GrantedCode, session_id: str, now: int) -> dict:
    """The OpenID Connect ID token's claims: who signed in, for which app, when and how (`auth_time`,
    `amr` per RFC 8176: pwd, otp, swk + user for a passkey, fed); the session it started (`sid`, which
    the app's logout names); `nonce` as the app sent it; the profile and address claims its scopes ask
    for."""
    scopes = set(code.scope.split())
    claims = {"iss": issuer_url, "sub": user.id, "aud": app.id, "iat": now,
              "exp": now + get_settings().token_lifetime("id"), "auth_time": code.auth_time, "amr": list(code.amr),
              "sid": session_id, "org_id": user.organization_id}
    if code.nonce:
        claims["nonce"] = code.nonce
    if "profile" in scopes:
        claims["name"] = user.name
    if "email" in scopes:
        claims |= {"email": user.email, "email_verified": user.email_verified}
    return claims


def id_token_key():
    """The key that signs ID tokens now (RS256; its kid is in the JWKS)."""
    from latchkey.store import key_sets

    return key_sets.signing_key("id")


def is_gateway_audience(resource: str) -> bool:
    """Whether `resource` (RFC 8707) is one of your own APIs that verify tokens at their gateway
    (GatewayJwtAudiences): exactly, character for character."""
    return resource in get_settings().gateway_audiences


def gateway_token_claims(issuer_url: str, audience: str, access_token: str) -> dict:
    """The claims of an access token for your own API (RFC 9068), from the Latchkey access token just
    minted for the same grant: its subject, app, scope, organization and lifetime; `iss` the issuer
    its gateway discovers, `aud` that API. Never `role`, `typ` or `gen`: Latchkey's own claims."""
    minted = tokens.unverified_claims(access_token)
    claims = {"iss": issuer_url, "aud": audience, "sub": minted["sub"], "client_id": minted["client_id"],
              "scope": minted.get("scope", ""), "iat": minted["iat"], "exp": minted["exp"],
              "jti": tokens.new_token_id(), "org_id": minted["org"]}
    return claims | {name: minted[name] for name in ("auth_time", "sid") if name in minted}


def gateway_token_key():
    """The key that signs access tokens for your own API now (RS256; its kid is in the JWKS)."""
    from latchkey.store import key_sets

    return key_sets.signing_key(tokens.GATEWAY)


def userinfo(principal: Principal, scope: str) -> dict | None:
    """The signed-in user's claims as an app's token's scope allows (OpenID Connect Core 5.3); None for
    a token without `openid` (not an OpenID Connect sign-in)."""
    scopes = set(scope.split())
    user = accounts_table.get_user(principal.user_id) if "openid" in scopes else None
    if user is None or user.organization_id != principal.organization_id:
        return None
    claims = {"sub": user.id, "org_id": user.organization_id}
    if "profile" in scopes:
        claims["name"] = user.name
    if "email" in scopes:
        claims |= {"email": user.email, "email_verified": user.email_verified}
    return claims


class RefreshCredential(NamedTuple):
    """A refresh token an app presents, its signature checked (not yet rotated): Authlib's credential."""

    client_id: str
    scope: str

    def check_client(self, client) -> bool:
        return client.get_client_id() == self.client_id

    def get_scope(self) -> str:
        return self.scope


def refresh_credential(refresh_token: str) -> RefreshCredential | None:
    """What an app's refresh token says of itself, if it is one of ours and unexpired; None otherwise."""
    try:
        claims = tokens.verify(verifying_context(tokens.REFRESH), refresh_token or "", tokens.REFRESH, clock.now())
    except LatchkeyError:
        return None
    return RefreshCredential(claims.get("client_id", ""), claims.get("scope", "")) if claims.get("client_id") else None


def refresh(app: App, refresh_token: str, client: Client) -> sessions.SignedIn:
    """The app's session rotated, with the sessions' reuse detection and grace (`sessions.refresh`)."""
    return sessions.refresh(refresh_token, client.source_ip, client_id=app.id)


def machine_token(app: App, requested: str) -> tuple[str, int, str] | None:
    """A confidential app's own token (client credentials) for the requested scopes (all of the app's
    when none are named): the token, its lifetime and its scope; None if it names one the app lacks."""
    scopes = tuple(requested.split()) if requested else app.scopes
    if not set(scopes) <= set(app.scopes):
        return None
    token, ttl = sessions.machine_token(app, scopes)
    return token, ttl, " ".join(scopes)


class IssuedToken(NamedTuple):
    """One of an app's tokens, its signature checked: whose, and which session (Authlib's token)."""

    client_id: str
    user_id: str
    session_id: str  # "" for an app's own token (client credentials): nothing to end but its lifetime

    def check_client(self, client) -> bool:
        return client.get_client_id() == self.client_id


def issued_token(token: str, hint: str | None) -> IssuedToken | None:
    """The app token `token` is (a refresh or an access token, the hint tried first), or None."""
    order = (tokens.REFRESH, tokens.ACCESS) if hint != "access_token" else (tokens.ACCESS, tokens.REFRESH)
    for purpose in order:
        try:
            claims = tokens.verify(verifying_context(purpose), token or "", purpose, clock.now())
        except LatchkeyError:
            continue
        if claims.get("client_id"):
            return IssuedToken(claims["client_id"], claims["sub"], claims.get("sid", ""))
    return None


def revoke(issued: IssuedToken) -> None:
    """RFC 7009: the app's sign-in ends (the session, so its access and refresh tokens with it)."""
    if issued.session_id:
        sessions.end_app_session(issued.user_id, issued.session_id)


class Introspected(NamedTuple):
    """A live access token as RFC 7662 describes it (Authlib's token)."""

    claims: dict
    organization_id: str

    def is_expired(self) -> bool:
        return False  # verified just now

    def is_revoked(self) -> bool:
        return False  # its session (or app) was found live just now


def introspected(token: str) -> Introspected | None:
    """The access token, if it is valid now: signature, lifetime, and its session (an app's own token:
    its app) still live, exactly as the authorizer judges it. None otherwise."""
    try:
        principal = sessions.authenticate(token or "")
    except LatchkeyError:
        return None
    return Introspected(tokens.unverified_claims(token), principal.organization_id)


def may_introspect(app: App, token: Introspected) -> bool:
    """A confidential app (a resource server) introspects its own organization's tokens only."""
    return app.type == CONFIDENTIAL_APP and token.organization_id == app.organization_id


def introspection(issuer_url: str, token: Introspected) -> dict:
    claims = token.claims
    answer = {"active": True, "token_type": "Bearer", "sub": claims["sub"], "exp": claims["exp"],
              "iat": claims["iat"], "iss": issuer_url, "org_id": token.organization_id}
    if claims.get("client_id"):
        answer |= {"client_id": claims["client_id"], "scope": claims.get("scope", "")}
    return answer


# --- RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0) -------------------------------------


class Logout(NamedTuple):
    """What an app's logout comes to: where the browser goes back to (its registered post-logout URI,
    with `state`), or None (the hosted page says the user is signed out); and whether sessions ended."""

    redirect_to: str | None
    ended: bool


def id_token_hint(issuer_url: str, hint: str) -> dict | None:
    """The claims of an ID token this provider issued (RS256, a kid of its ID key set, this issuer), or
    None. An expired one is accepted (RP-Initiated Logout 1.0, 2): a logout often comes long after.
    (joserfc, from the OAuth layer, as the ID token was signed.)"""
    from cryptography.hazmat.primitives import serialization
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet, RSAKey

    from latchkey.store import key_sets

    if not 0 < len(hint) <= tokens.MAX_TOKEN_LENGTH:
        return None
    keys = KeySet([RSAKey.import_key(k.public.public_bytes(serialization.Encoding.PEM,
                                                           serialization.PublicFormat.SubjectPublicKeyInfo),
                                     {"kid": k.kid}) for k in key_sets.public_keys("id")])
    try:
        claims = jwt.decode(hint, keys, algorithms=["RS256"]).claims
    except (JoseError, ValueError, TypeError):
        return None
    required = all(isinstance(claims.get(name), str) and claims[name] for name in ("sub", "sid"))
    return claims if required and claims.get("iss") == issuer_url and claims.get("aud") else None


def end_session(issuer_url: str, hint: str, client_id: str, post_logout_redirect_uri: str, state: str) -> Logout:
    """An app signs its user out: with a valid `id_token_hint` (and `client_id`, if sent, its audience),
    the app's session the ID token names (`sid`) ends, and with it the hosted page's session that granted
    it; audited. The browser goes back to `post_logout_redirect_uri` only if the hint is valid and the
    URI is one the app registered, exactly; otherwise nowhere (no open redirect)."""
    claims = id_token_hint(issuer_url, hint) if hint else None
    audience = claims.get("aud") if claims else None
    audience = audience[0] if isinstance(audience, list) and len(audience) == 1 else audience
    app = find_client(audience) if isinstance(audience, str) and client_id in ("", audience) else None
    if app is None:
        return Logout(None, False)
    ended = _end_app_session(app, str(claims["sub"]), str(claims["sid"]))
    registered = post_logout_redirect_uri and post_logout_redirect_uri in app.post_logout_redirect_uris
    if not registered:
        return Logout(None, ended)
    from urllib.parse import urlencode

    separator = "&" if "?" in post_logout_redirect_uri else "?"
    return Logout(post_logout_redirect_uri + (separator + urlencode({"state": state}) if state else ""), ended)


def _end_app_session(app: App, user_id: str, session_id: str) -> bool:
    from latchkey.store import sessions_table

    now = clock.now()
    session = sessions_table.get(user_id, session_id, now)
    if session is None or session.client_id != app.id or session.organization_id != app.organization_id:
        return False  # over already (a second logout), or not this app's: nothing to end
    event = audit.item(audit.APP_LOGOUT, organization_id=app.organization_id, user_id=user_id,
                       subject=f"session:{session_id}", actor=f"app:{app.id}")
    sessions_table.revoke(user_id, session_id, "logout by the app", now, also=[event])
    if session.browser_session_id:
        sessions_table.revoke(user_id, session.browser_session_id, "logout by an app", now)
    return True
