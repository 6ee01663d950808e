"""The OAuth 2.1 / OpenID Connect provider's documents: the authorization server's metadata (RFC 8414,
also OpenID Connect Discovery's configuration) and the API's protected-resource metadata (RFC 9728)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from latchkey.edge.schemas.base import Body, View


class AuthorizationServerMetadataView(View):
    """Where the provider's endpoints are and what it supports (RFC 8414, OpenID Connect Discovery 1.0)."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    revocation_endpoint: str
    introspection_endpoint: str
    end_session_endpoint: str
    registration_endpoint: str | None = None
    jwks_uri: str
    scopes_supported: list[str]
    response_types_supported: list[Literal["code"]]
    response_modes_supported: list[Literal["query"]]
    grant_types_supported: list[str]
    code_challenge_methods_supported: list[Literal["S256"]]
    token_endpoint_auth_methods_supported: list[str]
    revocation_endpoint_auth_methods_supported: list[str]
    introspection_endpoint_auth_methods_supported: list[str]
    subject_types_supported: list[Literal["public"]]
    id_token_signing_alg_values_supported: list[Literal["RS256"]]
    claims_supported: list[str]
    prompt_values_supported: list[str]
    request_parameter_supported: bool
    request_uri_parameter_supported: bool
    authorization_response_iss_parameter_supported: bool


class ProtectedResourceMetadataView(View):
    """The API as an OAuth protected resource (RFC 9728): who issues its tokens, which scopes it knows."""

    resource: str
    authorization_servers: list[str]
    jwks_uri: str
    scopes_supported: list[str]
    bearer_methods_supported: list[Literal["header"]]
    resource_signing_alg_values_supported: list[Literal["ES256"]]


class OAuthErrorView(View):
    """An OAuth error answered here rather than at the app's redirect URI (RFC 6749 5.2): the app or
    its redirect URI could not be verified."""

    error: str
    error_description: str | None = None
    state: str | None = None


class AuthorizationDecisionBody(Body):
    request: Annotated[str, Field(min_length=1, max_length=128)]
    decision: Literal["allow", "deny"] | None = None


class EndSessionQuery(BaseModel):
    """RP-Initiated Logout 1.0's parameters (in the query, or the form of a POST)."""

    model_config = ConfigDict(defer_build=True)

    id_token_hint: str | None = Field(None, description="An ID token this provider issued to the app (expired is "
                                                        "fine): whose sign-in (`sid`) ends")
    client_id: str | None = Field(None, description="The app; if sent, the hint's audience")
    post_logout_redirect_uri: str | None = Field(None, description="One of the app's `postLogoutRedirectUris`, "
                                                                   "exactly; honoured only with a valid hint")
    state: str | None = Field(None, description="Given back at `post_logout_redirect_uri`")


class ClientRegistrationBody(BaseModel):
    """RFC 7591's client metadata, as far as Latchkey reads it (the rest is ignored); documents the
    request only: the function answers a refusal in RFC 7591's form."""

    model_config = ConfigDict(defer_build=True)

    redirect_uris: list[str] = Field(description="https://, or http:// to a loopback address (any port)")
    client_name: str | None = None
    post_logout_redirect_uris: list[str] | None = None
    scope: str | None = Field(None, description="openid profile email offline_access and the API's read scopes")
    token_endpoint_auth_method: Literal["none"] | None = None
    grant_types: list[Literal["authorization_code", "refresh_token"]] | None = None
    response_types: list[Literal["code"]] | None = None


class ClientRegistrationView(View):
    """RFC 7591 3.2.1: the client as registered (no secret: a public client)."""

    client_id: str
    client_id_issued_at: int
    client_name: str
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str]
    grant_types: list[str]
    response_types: list[str]
    token_endpoint_auth_method: Literal["none"]
    scope: str


class AuthorizationCancelBody(Body):
    request: Annotated[str, Field(min_length=1, max_length=128)]


class AuthorizingAppView(View):
    clientId: str
    name: str


class AuthorizationDecisionView(View):
    """What comes next: `sign_in` (the app asks for a fresher sign-in), `consent` (ask the user: Allow or
    Deny), or `redirect` (send the browser to `redirectTo`)."""

    next: Literal["sign_in", "consent", "redirect"]
    app: AuthorizingAppView
    scopes: list[str]
    redirectTo: str | None


class TokenView(View):
    """OAuth's token answer (RFC 6749 5.1): a Latchkey access token (at+jwt, ES256, with `client_id`
    and `scope`) and, with `openid`, an ID token (RS256)."""

    token_type: Literal["Bearer"]
    access_token: str
    expires_in: int
    scope: str
    refresh_token: str | None = None
    id_token: str | None = None


class UserInfoView(View):
    """The signed-in user's claims (OpenID Connect Core 5.3), as the token's scope allows."""

    sub: str
    org_id: str
    name: str | None = None
    email: str | None = None
    email_verified: bool | None = None


class RevokedTokenView(View):
    """RFC 7009's answer: nothing to say, whatever the token was."""


class IntrospectionView(View):
    """RFC 7662's answer: `active`, and for a live token who it is for and until when."""

    active: bool
    token_type: Literal["Bearer"] | None = None
    sub: str | None = None
    exp: int | None = None
    iat: int | None = None
    iss: str | None = None
    org_id: str | None = None
    client_id: str | None = None
    scope: str | None = None
