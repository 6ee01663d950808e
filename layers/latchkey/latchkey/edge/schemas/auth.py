"""Sign-up, sign-in, refresh, the second factor at sign-in, and the signed-in user: bodies and views.

The token views are the seed documents' shapes, field for field: `accessToken` and `token` carry the
same value (each seed's clients read one of them)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from latchkey.edge.schemas.base import AnyPassword, Body, Email, Name, OneOf, Password, Token, TwoFactorCode, View


class RegisterBody(Body):
    email: Email
    password: Password
    name: Name
    organizationName: Name | None = None


class LoginBody(Body):
    email: Email
    password: AnyPassword  # no policy here: any stored password must still be accepted


class RefreshBody(Body):
    refreshToken: Annotated[str, Field(max_length=4096)] | None = None  # absent or empty: a 401, not a 400


# Either field may be left out, but neither may be null: `null` stays a validation failure, as before.
_ABSENT = Field(default=None, json_schema_extra=lambda schema: schema.pop("default", None))


class VerifyTwoFactorBody(Body):
    pendingToken: Token
    code: TwoFactorCode = _ABSENT  # a TOTP or recovery code; or
    credential: dict[str, Any] = _ABSENT  # a passkey's assertion (`credential.toJSON()`)


class UserView(View):
    id: str
    name: str
    email: str
    role: str
    plan: str
    organizationId: str
    twoFactorEnabled: bool
    emailVerified: bool


class MeView(UserView):
    """The signed-in user, as they see themselves."""

    pendingEmail: str | None = Field(None, description="the address an email change waits on (it moves once "
                                                       "both addresses answered their links); null when none")


class TokensView(View):
    """A new access + refresh pair (refresh); the presented refresh token is spent."""

    accessToken: str
    token: str = Field(description="the same value as accessToken")
    refreshToken: str
    expiresIn: int = Field(description="seconds until the access token expires")
    tokenType: Literal["Bearer"]


class SignedInView(TokensView):
    """Tokens and the user they were issued to (register, login, verify-2fa)."""

    user: UserView


class PendingTwoFactorView(View):
    """Login of an account with two-factor sign-in: pass `pendingToken` to verify-2fa with a code."""

    requires2FA: Literal[True]
    pendingToken: str
    methods: list[Literal["totp", "recovery", "passkey"]] = Field(
        description="The second factors the user has: a code (`totp`, `recovery`) or `passkey` (options from "
                    "/v1/auth/passkeys/login/options with this pendingToken)")


LoginView = OneOf("LoginView", SignedInView, PendingTwoFactorView,
                  description="Either the tokens or, with two-factor sign-in on, a pending token.")


class CookieTokensView(View):
    """Cookie mode (`X-Token-Transport: cookie`, the dashboard): the pair without `refreshToken`, which
    is in the HttpOnly cookie the answer sets."""

    accessToken: str
    token: str = Field(description="the same value as accessToken")
    expiresIn: int = Field(description="seconds until the access token expires")
    tokenType: Literal["Bearer"]


class CookieSignedInView(CookieTokensView):
    user: UserView


# What the routes that issue a pair answer, to either kind of client: the seeds' body, or cookie mode's.
TokensAnswer = OneOf("TokensAnswer", TokensView, CookieTokensView,
                     description="The pair; in cookie mode without refreshToken (it is in the cookie).")
SignedInAnswer = OneOf("SignedInAnswer", SignedInView, CookieSignedInView,
                       description="The pair and the user; in cookie mode without refreshToken (it is in the cookie).")
LoginAnswer = OneOf("LoginAnswer", SignedInView, PendingTwoFactorView, CookieSignedInView,
                    description="The tokens (in cookie mode without refreshToken), or a pending token.")


class LoggedOutView(View):
    loggedOut: Literal[True]


class LoggedOutEverywhereView(View):
    loggedOut: Literal[True]
    sessionsRevoked: int
    apiKeysRevoked: int | None = None  # null: keys were left alone (not asked)


class LogoutAllBody(Body):
    revokeApiKeys: bool = False  # also revoke every live API key the caller created


class ReauthenticateBody(Body):
    password: AnyPassword = _ABSENT  # the password (and `code` when two-factor sign-in is on); or
    code: TwoFactorCode | None = None
    credential: dict[str, Any] = _ABSENT  # a passkey's assertion, options from passkeys/login/options


# GET /.well-known/jwks.json: a JSON Web Key Set (RFC 7517), not enveloped.
_COORDINATE = Field(pattern=r"^[A-Za-z0-9_-]{43}$", description="32 bytes, base64url without padding")


class PublicJwkView(View):
    """A public key that verifies access tokens (RFC 7518: an EC P-256 key for ES256); never a private part."""

    kty: Literal["EC"]
    crv: Literal["P-256"]
    x: Annotated[str, _COORDINATE]
    y: Annotated[str, _COORDINATE]
    kid: Annotated[str, Field(description="the `kid` in the header of the tokens this key signed")]
    alg: Literal["ES256"]
    use: Literal["sig"]


class RsaPublicJwkView(View):
    """A public key that verifies OpenID Connect ID tokens (`kid` `id-…`) or access tokens for your own
    API (`gateway-…`): RFC 7518, an RSA key for RS256."""

    kty: Literal["RSA"]
    n: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$", description="the modulus, base64url without padding")]
    e: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$", description="the public exponent")]
    kid: Annotated[str, Field(description="the `kid` in the header of the tokens this key signed")]
    alg: Literal["RS256"]
    use: Literal["sig"]


class JwksView(View):
    """The keys that may verify a live access token (ES256), ID token (RS256) or access token for your
    own API (RS256), and the next one of each, published before it signs."""

    keys: list[PublicJwkView | RsaPublicJwkView]

