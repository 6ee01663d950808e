"""Authlib's OAuth 2.1 / OpenID Connect authorization server, fitted to API Gateway events: the protocol
(request validation, PKCE, the code grant, OAuth's error form) is Authlib's; storage and policy are
Latchkey's (`usecases.oauth`, `usecases.apps`). Only the OAuth provider's functions import it (their
layer carries Authlib).

- Every app is an OAuth client: its redirect URIs match exactly (a loopback URI's port may vary, RFC
  8252); public apps authenticate with nothing but PKCE, confidential ones with their secret.
- PKCE is required of every authorization request, S256 only (`plain` is refused): OAuth 2.1.
- An error goes back to the client's redirect URI only once the client and that URI are verified;
  otherwise it is answered here (400, `{"error", "error_description"}`), so no one can use the
  provider to redirect a browser anywhere.
"""

from __future__ import annotations

import json
from functools import cache
from urllib.parse import parse_qsl, urlencode

from authlib.common.urls import add_params_to_uri
from authlib.oauth2 import AuthorizationServer, OAuth2Error, OAuth2Request
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc6749.errors import (
    AccessDeniedError,
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
)
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from authlib.oidc.core.errors import ConsentRequiredError, InteractionRequiredError, LoginRequiredError
from joserfc import jwt as _jwt
from joserfc.jwk import RSAKey

from latchkey.edge.request import Request
from latchkey.errors import AuthorizationRequestNotFound, LatchkeyError
from latchkey.rules import clock, tokens
from latchkey.rules.records import CONFIDENTIAL_APP, App
from latchkey.rules.redirect_urls import matches_redirect_uri
from latchkey.usecases import oauth

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache", "X-Content-Type-Options": "nosniff"}


class Client(ClientMixin):
    """An app as Authlib's client."""

    def __init__(self, app: App):
        self.app = app

    def get_client_id(self) -> str:
        return self.app.id

    def get_default_redirect_uri(self) -> None:
        return None  # OAuth 2.1: the request names its redirect URI, always

    def get_allowed_scope(self, scope: str) -> str | None:
        """The requested scopes, if the app may have every one (else None: invalid_scope)."""
        requested = (scope or "").split()
        return " ".join(requested) if set(requested) <= set(oauth.allowed_scopes(self.app)) else None

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return matches_redirect_uri(self.app.redirect_uris, redirect_uri)

    def check_client_secret(self, client_secret: str) -> bool:
        return oauth.secret_matches(self.app, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.app.type == CONFIDENTIAL_APP:
            return method in ("client_secret_basic", "client_secret_post")
        return method == "none"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in oauth.grant_types(self.app)


class S256Challenge(CodeChallenge):
    """PKCE, required of every authorization request, S256 only."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge with code_challenge_method=S256")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Unsupported 'code_challenge_method': only S256 is accepted")
        return super().validate_code_challenge(grant, redirect_uri)

    def get_authorization_code_challenge(self, authorization_code):
        return authorization_code.code_challenge

    def get_authorization_code_challenge_method(self, authorization_code):
        return authorization_code.code_challenge_method


class CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def query_authorization_code(self, code: str, client: Client):
        return oauth.spend_code(code, client.app)  # spent as it is read: single use, whatever follows

    def delete_authorization_code(self, authorization_code) -> None:
        pass  # spent already

    def authenticate_user(self, authorization_code):
        return oauth.member_of(self.request.client.app, authorization_code)

    def generate_token(self, user=None, scope=None, grant_type=None, expires_in=None, include_refresh_token=True):
        """A Latchkey session for the user; the access token names the app and the scope; with `openid`,
        an ID token signed RS256."""
        app, code = self.request.client.app, self.request.authorization_code
        signed = oauth.sign_in(app, user, code, self.request.caller)
        token = {"token_type": "Bearer", "access_token": signed.access_token, "expires_in": signed.expires_in,
                 "scope": code.scope}
        if "offline_access" in code.scope.split() and include_refresh_token:
            token["refresh_token"] = signed.refresh_token
        if "openid" in code.scope.split():
            session_id = tokens.unverified_claims(signed.access_token)["sid"]
            token["id_token"] = id_token(oauth.id_token_claims(self.server.issuer, app, user, code, session_id,
                                                               clock.now()))
        token["access_token"] = for_resource(self.server.issuer, self.request, signed.access_token)
        return token

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        data = request.payload.data
        oauth.save_code(code, request.client.app, request.user, redirect_uri=data["redirect_uri"],
                        scope=request.scope or "", nonce=data.get("nonce", ""),
                        code_challenge=data["code_challenge"], code_challenge_method=data["code_challenge_method"])


class Server(AuthorizationServer):
    def __init__(self, issuer: str):
        super().__init__()
        self.issuer = issuer
        self.register_grant(CodeGrant, [S256Challenge(required=True)])
        self.register_grant(RefreshGrant)
        self.register_grant(MachineGrant)
        self.register_endpoint(Revocation)
        self.register_endpoint(Introspection)

    def query_client(self, client_id: str) -> Client | None:
        app = oauth.find_client(client_id)
        return Client(app) if app else None

    def save_token(self, token, request):  # tokens are Latchkey sessions, saved where they are minted
        pass

    def send_signal(self, name, *args, **kwargs):
        pass

    def create_oauth2_request(self, request):
        return request

    def handle_response(self, status: int, body, headers) -> dict:
        headers = dict(headers)
        if status == 302:  # RFC 9207: `iss` in every authorization response, success or error
            location = add_params_to_uri(headers["Location"], {"iss": self.issuer})
            return {"statusCode": 302, "headers": {"Location": location, **_NO_STORE}, "body": ""}
        return {"statusCode": status, "headers": {**headers, "Content-Type": "application/json", **_NO_STORE},
                "body": json.dumps(dict(body) if not isinstance(body, str) else json.loads(body or "{}"),
                                   separators=(",", ":"))}


class RefreshGrant(grants.RefreshTokenGrant):
    """The refresh_token grant: the app's session rotated as any Latchkey session is (one use per
    token, the grace for a lost answer, a reused token ending the session)."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def authenticate_refresh_token(self, refresh_token: str):
        return oauth.refresh_credential(refresh_token)

    def authenticate_user(self, credential):
        return credential

    def create_token_response(self):
        try:
            signed = oauth.refresh(self.request.client.app, self.request.form["refresh_token"], self.request.caller)
        except LatchkeyError as refused:
            raise InvalidGrantError(refused.message) from None
        token = {"token_type": "Bearer", "access_token": for_resource(self.server.issuer, self.request,
                                                                       signed.access_token),
                 "expires_in": signed.expires_in, "refresh_token": signed.refresh_token,
                 "scope": self.request.refresh_token.get_scope()}
        return 200, token, self.TOKEN_RESPONSE_HEADER


class MachineGrant(grants.ClientCredentialsGrant):
    """client_credentials: a confidential app's own token, with its scopes, and no user."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def create_token_response(self):
        issued = oauth.machine_token(self.request.client.app, self.request.payload.scope or "")
        if issued is None:
            raise InvalidScopeError()
        access_token, expires_in, scope = issued
        token = {"token_type": "Bearer", "access_token": for_resource(self.server.issuer, self.request, access_token),
                 "expires_in": expires_in, "scope": scope}
        return 200, token, self.TOKEN_RESPONSE_HEADER


class Revocation(RevocationEndpoint):
    """RFC 7009: an app ends a sign-in with its access or refresh token; unknown tokens are answered
    200 as well, so the endpoint tells nothing about a token it is shown."""

    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def query_token(self, token_string: str, token_type_hint: str | None):
        return oauth.issued_token(token_string, token_type_hint)

    def revoke_token(self, token, request) -> None:
        oauth.revoke(token)


class Introspection(IntrospectionEndpoint):
    """RFC 7662: a confidential app (a resource server) asks whether an access token of its organization
    is live, as the authorizer would judge it; anything else is `{"active": false}`."""

    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def query_token(self, token_string: str, token_type_hint: str | None):
        return oauth.introspected(token_string) if token_type_hint != "refresh_token" else None

    def check_permission(self, token, client, request) -> bool:
        return oauth.may_introspect(client.app, token)

    def introspect_token(self, token) -> dict:
        return oauth.introspection(self.server.issuer, token)


class FormRequest(OAuth2Request):
    """A token-endpoint request: its form, its headers (client authentication), and who sent it."""

    def __init__(self, uri: str, pairs: list[tuple[str, str]], headers: dict, caller):
        super().__init__("POST", uri, headers=headers)
        self._form = dict(pairs)
        self.payload = BasicOAuth2Payload(self._form)
        self.payload._datalist = _datalist(urlencode(pairs))
        self.caller = caller

    @property
    def form(self) -> dict:
        return self._form

    @property
    def args(self) -> dict:
        return {}


@cache
def server(issuer: str) -> Server:
    return Server(issuer)


def authorization_request(issuer: str, query: str) -> OAuth2Request:
    """An authorization request (GET /oauth2/authorize) of `query`, as Authlib reads one."""
    made = OAuth2Request("GET", f"{issuer}/oauth2/authorize?{query}", headers={})
    made.payload = BasicOAuth2Payload(dict(parse_qsl(query, keep_blank_values=True)))
    made.payload._datalist = _datalist(query)
    return made


def query_of(request: Request) -> str:
    """The request's query string, every repeated parameter kept (Authlib refuses repeats)."""
    multi = (request.event.get("multiValueQueryStringParameters") or {})
    single = (request.event.get("queryStringParameters") or {})
    pairs = [(k, v) for k, values in multi.items() for v in values] if multi else list(single.items())
    return urlencode(pairs)


def _datalist(query: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        found.setdefault(key, []).append(value)
    return found


def error_response(srv: Server, request: OAuth2Request, error: OAuth2Error) -> dict:
    """OAuth's error: to the verified redirect URI (with state and iss), else answered here as JSON."""
    error.state = request.payload.state
    return srv.handle_error_response(request, error)


# --- the authorization endpoint and the user's decision ------------------------------------------------


def authorize(issuer: str, query: str, sign_in_page: str) -> dict:
    """GET /oauth2/authorize: a valid request is kept and the browser sent to the hosted sign-in page
    (`sign_in_page?request=<id>`); an invalid one is refused in OAuth's form. With `prompt=none` the
    page is told (`&prompt=none`) to show nothing: the API cannot see the browser's session, the page
    can, and it asks the API to finish silently or to answer login_required (`cancel`)."""
    srv = server(issuer)
    request = authorization_request(issuer, query)
    try:
        grant = srv.get_consent_grant(request)
        silent = oauth.silent(request.payload.data)
    except OAuth2Error as error:
        return error_response(srv, request, error)
    except ValueError as mixed:
        return error_response(srv, request, InvalidRequestError(str(mixed), redirect_uri=request.payload.redirect_uri))
    request_id = oauth.open_request(grant.request.client.app, query)
    page_query = {"request": request_id} | ({"prompt": "none"} if silent else {})
    return {"statusCode": 302, "headers": {"Location": f"{sign_in_page}?{urlencode(page_query)}", **_NO_STORE},
            "body": ""}


def decide(issuer: str, principal, amr: list[str], request_id: str, decision: str | None) -> dict:
    """POST /oauth2/authorize/decision, the hosted page's call once the user is signed in: what comes
    next (a fresher sign-in, the consent page) or where to send the browser (the app's redirect URI,
    with a code or an error)."""
    found = oauth.pending(request_id)
    srv = server(issuer)
    request = authorization_request(issuer, found.query)
    app = {"clientId": found.app.id, "name": found.app.name}
    try:
        grant = srv.get_consent_grant(request)  # again: the app may have changed since
    except OAuth2Error as error:
        return _redirect(error_response(srv, request, error), found, app)
    outcome = oauth.decide(principal, found, request.payload.data, decision)
    scopes = (request.scope or "").split()
    if oauth.silent(request.payload.data) and outcome in _SILENT_REFUSALS:  # prompt=none: no page to show
        refusal = _SILENT_REFUSALS[outcome](redirect_uri=request.payload.redirect_uri)
        return _redirect(error_response(srv, request, refusal), found, app, scopes)
    if outcome in (oauth.SIGN_IN, oauth.CONSENT):
        return {"next": outcome, "app": app, "scopes": scopes, "redirectTo": None}
    user = oauth.SignedInUser(principal.user_id, principal.organization_id, principal.auth_time,
                              tuple(amr or ("pwd",)), principal.session_id)
    response = srv.create_authorization_response(request, grant_user=user if outcome == oauth.ALLOW else None,
                                                 grant=grant)
    return _redirect(response, found, app, scopes)


# prompt=none (OpenID Connect Core 3.1.2.6): what would have needed the user is an error instead. DENY
# here is never the user's (they were not asked): a user of another organization, who would have to
# sign in with another account.
_SILENT_REFUSALS = {oauth.SIGN_IN: LoginRequiredError, oauth.CONSENT: ConsentRequiredError,
                    oauth.DENY: InteractionRequiredError}


def cancel(issuer: str, request_id: str) -> dict:
    """POST /oauth2/authorize/cancel, the hosted page's call when the user will not sign in: the app's
    redirect URI with `login_required` (a `prompt=none` request the page holds no session for) or
    `access_denied` (the user went back)."""
    found = oauth.pending(request_id)
    srv = server(issuer)
    request = authorization_request(issuer, found.query)
    app = {"clientId": found.app.id, "name": found.app.name}
    try:
        srv.get_consent_grant(request)
        silent = oauth.silent(request.payload.data)
    except (OAuth2Error, ValueError):
        silent = False
    refusal = (LoginRequiredError if silent else AccessDeniedError)(redirect_uri=request.payload.redirect_uri)
    return _redirect(error_response(srv, request, refusal), found, app)


def _redirect(response: dict, found, app: dict, scopes: list[str] | None = None) -> dict:
    oauth.close_request(found.id)
    if response["statusCode"] != 302:  # the request no longer names a verified redirect URI
        raise AuthorizationRequestNotFound()
    return {"next": "redirect", "app": app, "scopes": scopes or [], "redirectTo": response["headers"]["Location"]}


# --- the token endpoint ---------------------------------------------------------------------------------


class InvalidTargetError(OAuth2Error):
    """RFC 8707: a `resource` that is none of your own APIs' audiences, or more than one."""

    error = "invalid_target"
    status_code = 400


def token(issuer: str, request: Request) -> dict:
    """POST /oauth2/token: the grant the form names, as Authlib runs it; OAuth's answer or error. A
    `resource` (RFC 8707) is checked first, so a refused one spends no code and rotates no session."""
    srv, made = _form_request(issuer, "/oauth2/token", request)
    if not made.form:
        return srv.handle_error_response(made, InvalidRequestError(
            "Send the token request as application/x-www-form-urlencoded"))
    resources = made.payload.datalist.get("resource", [])
    if len(resources) > 1 or (resources and not oauth.is_gateway_audience(resources[0])):
        return srv.handle_error_response(made, InvalidTargetError(
            "Name one resource, an audience of GatewayJwtAudiences; or none, for Latchkey's own API"))
    return srv.create_token_response(made)


def for_resource(issuer: str, request: FormRequest, access_token: str) -> str:
    """The access token the request's `resource` asks for: with none, Latchkey's own (ES256); for one
    of your own APIs (checked by `token`), the same grant's claims for that audience, signed RS256 with
    the gateway key set."""
    resource = request.form.get("resource")
    if not resource:
        return access_token
    claims = oauth.gateway_token_claims(issuer, resource, access_token)
    return _rs256(oauth.gateway_token_key(), claims, "at+jwt")


def revoke(issuer: str, request: Request) -> dict:
    """POST /oauth2/revoke (RFC 7009), as Authlib runs it."""
    srv, made = _form_request(issuer, "/oauth2/revoke", request)
    if not made.form:
        return srv.handle_error_response(made, InvalidRequestError(
            "Send the revocation request as application/x-www-form-urlencoded"))
    return srv.create_endpoint_response(Revocation.ENDPOINT_NAME, made)


def introspect(issuer: str, request: Request) -> dict:
    """POST /oauth2/introspect (RFC 7662), as Authlib runs it."""
    srv, made = _form_request(issuer, "/oauth2/introspect", request)
    if not made.form:
        return srv.handle_error_response(made, InvalidRequestError(
            "Send the introspection request as application/x-www-form-urlencoded"))
    return srv.create_endpoint_response(Introspection.ENDPOINT_NAME, made)


def _form_request(issuer: str, path: str, request: Request) -> tuple[Server, FormRequest]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = request.body_text() if content_type == "application/x-www-form-urlencoded" else ""
    pairs = parse_qsl(raw, keep_blank_values=True)
    headers = {"Authorization": request.headers.get("authorization", "")}
    return server(issuer), FormRequest(f"{issuer}{path}", pairs, headers, request.client)


def id_token(claims: dict) -> str:
    return _rs256(oauth.id_token_key(), claims, "JWT")


def _rs256(key, claims: dict, typ: str) -> str:
    return _jwt.encode({"alg": "RS256", "kid": key.kid, "typ": typ}, claims, _rsa_key(key.kid, key.private))


@cache
def _rsa_key(kid: str, private):
    from cryptography.hazmat.primitives import serialization

    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return RSAKey.import_key(pem)


