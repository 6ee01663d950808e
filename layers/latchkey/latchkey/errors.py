"""The error registry: every code the service answers with, declared once as a class with its HTTP
status and default message. A raise site may pass a more specific message (and `details`), never a
code or a status: a new code is a new class here, whose docstring says when it is answered; the docs
site's error reference (docs/reference/errors.md) is generated from these classes and the gateway's own
codes in template.yaml (`python -m contract`), and a test holds the two together.

The family bases (`LatchkeyError`, `Unauthorized`, `Forbidden`, `Conflict`, `TryLater`) declare no
code and cannot be raised: only the classes that declare one are part of the contract."""

from __future__ import annotations

from typing import ClassVar


class LatchkeyError(Exception):
    """A refusal a client may see. `code` is stable and machine-readable; `message` is for people."""

    status: ClassVar[int] = 400
    code: ClassVar[str]  # declared by each concrete class, never by a raise site
    message = "Bad request"

    def __init__(self, message: str | None = None, *, details: list | None = None):
        if not hasattr(type(self), "code"):
            raise TypeError(f"{type(self).__name__} is a family of errors, not an error: raise one with a code")
        self.message = message or type(self).message
        self.details = details
        super().__init__(self.message)

    def headers(self) -> dict[str, str]:
        return {}


def registry() -> list[type[LatchkeyError]]:
    """Every class that declares a code: what the service can answer with (the error reference)."""
    found, pending = [], [LatchkeyError]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if "code" in vars(cls):
            found.append(cls)
    return sorted(found, key=lambda c: (c.status, c.code))


# --- 400: the request itself -----------------------------------------------------------------------


class InvalidJson(LatchkeyError):
    """The body is not JSON, or not a JSON object."""
    code = "INVALID_JSON"
    message = "Request body is not valid JSON"


class ValidationFailed(LatchkeyError):
    """Missing, unknown or wrongly typed fields, or a bad `limit`: `details` lists every problem, each a field
    and what is wrong in words."""
    code = "VALIDATION_FAILED"
    message = "Request body failed validation"


class InvalidCursor(LatchkeyError):
    """A `cursor` that does not decode (a decodable one only moves within the caller's own data)."""
    code = "INVALID_CURSOR"
    message = "The cursor is not one this service issued"


class InvalidScope(LatchkeyError):
    """An unknown scope (named in the message), or none."""
    code = "INVALID_SCOPE"
    message = "Unknown scope"


class InvalidExpiry(LatchkeyError):
    """An `expiresAt` less than a minute ahead."""
    code = "INVALID_EXPIRY"
    message = "expiresAt must be at least a minute in the future"








class PayloadTooLarge(LatchkeyError):
    """A body over 16 KiB (the functions' limit; API Gateway's own is 10 MB)."""
    status = 413
    code = "PAYLOAD_TOO_LARGE"
    message = "Request body is too large"


class UnsupportedMediaType(LatchkeyError):
    """`Content-Type` is not `application/json`."""
    status = 415
    code = "UNSUPPORTED_MEDIA_TYPE"
    message = "Content-Type must be application/json"


# --- 401: the credential ---------------------------------------------------------------------------


class Unauthorized(LatchkeyError):
    """The credential is missing or not good: the client should sign in (again)."""

    status = 401
    message = "Unauthorized"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"}


class MissingPrincipal(Unauthorized):
    """A handler reached without the authorizer's context (a route deployed without it): refuse, never
    guess. The same code as the gateway's own UNAUTHORIZED response."""

    code = "UNAUTHORIZED"


class InvalidCredentials(Unauthorized):
    """A wrong password or an unknown email: the same body, status, reads and hashing cost for both."""
    code = "INVALID_CREDENTIALS"
    message = "Invalid email or password"


class NoBearerToken(Unauthorized):
    """No credential, or an `Authorization` header not of the form `Bearer <token>`."""
    code = "NO_BEARER_TOKEN"
    message = "No bearer token"


class InvalidToken(Unauthorized):
    """Malformed, truncated, a forged signature, an `alg` other than ES256 (`none` and HS256 included),
    missing or mistyped claims."""
    code = "INVALID_TOKEN"
    message = "Token is invalid"


class AmbiguousCredentials(InvalidToken):
    """Both `X-API-Key` and `Authorization`: send one."""
    code = "AMBIGUOUS_CREDENTIALS"
    message = "Send one credential: X-API-Key or Authorization, not both"


class WrongStage(InvalidToken):
    """A token from another stage (dev and prod never accept each other's)."""
    code = "WRONG_STAGE"
    message = "Token was issued for another stage"


class RouteNotProtected(InvalidToken):
    """The authorizer was asked about a route the route map does not protect: it fails closed."""
    code = "ROUTE_NOT_PROTECTED"
    message = "This route is not open to credentials"


class TokenExpired(Unauthorized):
    """The access token's `exp` has passed: refresh it."""
    code = "TOKEN_EXPIRED"
    message = "Token has expired"


class WrongTokenType(Unauthorized):
    """A refresh token as `Authorization: Bearer`, an access token sent to `/refresh`, or an access token
    without the `typ: at+jwt` header."""
    code = "WRONG_TOKEN_TYPE"
    message = "Wrong token type for this use"


class SessionRevoked(Unauthorized):
    """The token's session ended: logout, logout-all, ended from the sessions list, reuse detected, or past
    its 7 days."""
    code = "SESSION_REVOKED"
    message = "This session has ended; sign in again"


class RefreshTokenReused(Unauthorized):
    """A spent refresh token came back: the whole session is now revoked."""
    code = "REFRESH_TOKEN_REUSED"
    message = "Refresh token was already used; the session has been revoked"


class RefreshTokenExpired(TokenExpired):
    """The refresh token is past its session's 7 days."""
    code = "REFRESH_TOKEN_EXPIRED"
    message = "Refresh token has expired; sign in again"


class NoRefreshToken(Unauthorized):
    """The refresh request carries none (a cookie sent without cookie mode is ignored)."""
    code = "NO_REFRESH_TOKEN"
    message = "No refresh token"


class InvalidApiKey(Unauthorized):
    """A malformed or unknown API key."""
    code = "INVALID_API_KEY"
    message = "API key is invalid"


class ApiKeyRevoked(InvalidApiKey):
    """A revoked API key."""
    code = "API_KEY_REVOKED"
    message = "API key has been revoked"


class ApiKeyExpired(InvalidApiKey):
    """An API key past its `expiresAt`."""
    code = "API_KEY_EXPIRED"
    message = "API key has expired"


class InvalidCode(Unauthorized):
    """A wrong, replayed or spent code at `verify-2fa`; it counts toward the lockout."""
    code = "INVALID_2FA_CODE"
    message = "Invalid two-factor code"


class InvalidSignInCode(Unauthorized):
    """A wrong, expired, replaced, spent or exhausted (five wrong tries) sign-in code, or an email with no
    account: one refusal for all, after the same work; it counts toward the lockout."""
    code = "INVALID_SIGN_IN_CODE"
    message = "Invalid or expired sign-in code: ask for a new one"


class PendingTokenUsed(Unauthorized):
    """The pending token already signed in."""
    code = "PENDING_TOKEN_USED"
    message = "This pending token has already been used; log in again"


class PendingTokenExhausted(Unauthorized):
    """The pending token had its 5 code attempts."""
    code = "PENDING_TOKEN_EXHAUSTED"
    message = "Too many codes tried with this pending token; log in again"


class InvalidInvitation(Unauthorized):
    """An invitation token (a candidate's, or one to join an organization) that is not one; a real id with a
    wrong secret tells nothing more."""
    code = "INVALID_INVITATION"
    message = "Invitation token is invalid"




# --- 403: a good credential that may not do this ---------------------------------------------------


class Forbidden(LatchkeyError):
    status = 403
    message = "You are not allowed to do this"


class ApiKeyNotAllowed(Forbidden):
    """An API key on a signed-in user's route: keys reach only `/v1/public/*`."""
    code = "API_KEY_NOT_ALLOWED"
    message = "API keys can call only /v1/public/* routes; sign in for this one"


class InsufficientScope(Forbidden):
    """An API key without the route's scope, or an access token without `openid` at `/oauth2/userinfo`; the
    message and `details[].missingScope` name it."""
    code = "INSUFFICIENT_SCOPE"
    message = "This API key lacks the route's scope"


class AdminOnly(Forbidden):
    """The action needs an organization admin."""
    code = "ADMIN_ONLY"
    message = "Only organization admins may do this"


class AccountDisabled(Forbidden):
    """An operator disabled the account (the admin API): no sign-in until they enable it again. Told only
    after the right password (or link, code or passkey): it says nothing about an address to a guesser."""
    code = "ACCOUNT_DISABLED"
    message = "This account is disabled; ask the service's operators"


class OperatorOnly(Forbidden):
    """An admin API route reached without an AWS IAM (SigV4) caller: refuse, never guess (a deployment
    without AWS_IAM on the route)."""
    code = "OPERATOR_ONLY"
    message = "Only the service's operators (AWS IAM) may do this"


class InvalidPassword(Forbidden):
    """A wrong password on a signed-in route (`2fa/disable`, `reauthenticate`, `change-password`, `change-
    email`, `delete-account`): 403, since the caller's token is fine; it counts toward the lockout."""
    code = "INVALID_PASSWORD"
    message = "Invalid password"


class InvalidCodeOnSignedInRoute(Forbidden):
    """A wrong code on a signed-in route (2fa enable/disable): 403, because a 401 would tell the client
    its token is dead. The same code as at verify-2fa, where it is a 401."""

    code = InvalidCode.code
    message = InvalidCode.message


class CrossSiteRequest(Forbidden):
    """Cookie mode (`X-Token-Transport: cookie`) from a page of another origin, or with no Origin: CSRF."""

    code = "CROSS_SITE_REQUEST"
    message = "Cookie mode is for the dashboard's own origin only"


class RouteNotMapped(Forbidden):
    """A function reached through a route the route map does not know (a deployment mistake)."""
    code = "ROUTE_NOT_MAPPED"
    message = "This route is not in the route map"


# --- 404, 405, 409 ---------------------------------------------------------------------------------


class NotFound(LatchkeyError):
    """An unknown route, or an id that is not the caller's organization's."""
    status = 404
    code = "NOT_FOUND"
    message = "Not found"


class UserNotFound(NotFound):
    """The caller's user no longer exists."""
    code = "USER_NOT_FOUND"
    message = "User no longer exists"


class ImportNotFound(NotFound):
    """No import job has this id."""
    code = "IMPORT_NOT_FOUND"
    message = "No import has this id"


class ExportNotFound(NotFound):
    """No export job has this id."""
    code = "EXPORT_NOT_FOUND"
    message = "No export has this id"


class OrganizationNotFound(NotFound):
    """The caller's organization no longer exists."""
    code = "ORGANIZATION_NOT_FOUND"
    message = "Organization no longer exists"


class SessionNotFound(NotFound):
    """A session id that is not one of the caller's."""
    code = "SESSION_NOT_FOUND"
    message = "No such session"


class ApiKeyNotFound(NotFound):
    """An API key id that is not the organization's."""
    code = "API_KEY_NOT_FOUND"
    message = "No such API key"


class AppNotFound(NotFound):
    """A client id that is not one of the organization's apps."""
    code = "APP_NOT_FOUND"
    message = "No such app"


class AuthorizationRequestNotFound(NotFound):
    """An OAuth authorization request id that is unknown, expired or of an app deleted meanwhile: the app
    starts the sign-in again."""
    code = "AUTHORIZATION_REQUEST_NOT_FOUND"
    message = "This sign-in request has expired: go back to the app and start again"








class MethodNotAllowed(LatchkeyError):
    """A known path with another method; the `Allow` header lists the methods."""
    status = 405
    code = "METHOD_NOT_ALLOWED"
    message = "Method not allowed"

    def __init__(self, message: str | None = None, *, allowed: list[str]):
        super().__init__(message)
        self.allowed = allowed

    def headers(self) -> dict[str, str]:
        return {"Allow": ", ".join(self.allowed)}


class Conflict(LatchkeyError):
    status = 409
    message = "Conflict"


class PublicAppHasNoSecret(Conflict):
    """Rotating the secret of a public app, which has none (it proves itself with PKCE alone)."""
    code = "PUBLIC_APP"
    message = "A public app has no secret"


class EmailTaken(Conflict):
    """Register, `change-email` or its confirmation with an email that has an account (case and Unicode form
    do not matter); inviting (or accepting an invitation for) an address that has an account: one organization
    per user."""
    code = "EMAIL_TAKEN"
    message = "An account with this email already exists"


class InvitationUsed(Conflict):
    """An invitation completed (a candidate's) or accepted (to join an organization) before: nothing is
    issued."""
    code = "INVITATION_USED"
    message = "This invitation has already been completed"


class TwoFactorAlreadyEnabled(Conflict):
    """`2fa/setup` or `2fa/enable` when two-factor sign-in is on."""
    code = "TWO_FACTOR_ALREADY_ENABLED"
    message = "Two-factor sign-in is already on"


class TwoFactorNotEnabled(Conflict):
    """`2fa/disable` when two-factor sign-in is off."""
    code = "TWO_FACTOR_NOT_ENABLED"
    message = "Two-factor sign-in is not on"


class TwoFactorNotSetUp(Conflict):
    """`2fa/enable` before `2fa/setup`."""
    code = "TWO_FACTOR_NOT_SET_UP"
    message = "Call /v1/auth/2fa/setup first"


class TwoFactorSetupChanged(Conflict):
    """`2fa/enable` raced another `2fa/setup` (or enable): the confirmed secret is no longer the pending one;
    set up again."""
    code = "TWO_FACTOR_SETUP_CHANGED"
    message = "Two-factor set-up changed meanwhile; set up again"


class IdempotencyKeyInUse(Conflict):
    """A request with the same `Idempotency-Key` is still being processed: retry shortly."""
    code = "IDEMPOTENCY_KEY_IN_USE"
    message = "A request with this Idempotency-Key is still being processed; retry shortly"


class IdempotencyKeyReused(LatchkeyError):
    """An `Idempotency-Key` already used (within 24 hours, by the same caller, its user or API key, on
    this route) with another body."""
    status = 422
    code = "IDEMPOTENCY_KEY_REUSED"
    message = "This Idempotency-Key was used with a different request body"


# --- 423, 429, 503: refusals that end by themselves ------------------------------------------------


class TryLater(LatchkeyError):
    """A refusal that ends by itself: `Retry-After` says in how many seconds."""

    default_retry_after: ClassVar[int | None] = None

    def __init__(self, message: str | None = None, *, retry_after: int | None = None):
        super().__init__(message)
        seconds = retry_after if retry_after is not None else type(self).default_retry_after
        if seconds is None:
            raise TypeError(f"{type(self).__name__} needs retry_after")
        self.retry_after = max(1, seconds)

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class AccountLocked(TryLater):
    """Too many failed sign-ins for this email: every sign-in is refused until the lock ends, even with the
    right password; `Retry-After` says when."""
    status = 423
    code = "ACCOUNT_LOCKED"
    message = "Account locked \u2014 too many failed attempts"


class RateLimited(TryLater):
    """The route's per-source-IP limit; at login, `verify-2fa` and every signed-in password check
    (`reauthenticate`, `change-*`, `delete-account`, `2fa/*`) also one source's attempts at one email past
    the lockout's daily share; `Retry-After`."""
    status = 429
    code = "RATE_LIMITED"
    message = "Too many requests"


class ServiceUnavailable(TryLater):
    """A dependency (DynamoDB, Secrets Manager, the KMS key behind a secret) throttled, timed out or
    failed, or DynamoDB kept cancelling a write for conflicts after our bounded retries: nothing of
    the request was written, and the same request can simply be sent again. The authorizer's own
    (AUTHORIZER_FAILURE in template.yaml) answers the same code."""

    status = 503
    code = "SERVICE_UNAVAILABLE"
    message = "The service is busy; nothing was changed, try again shortly"
    default_retry_after = 1


# --- 500 -------------------------------------------------------------------------------------------


class InternalError(LatchkeyError):
    """A bug: the response says nothing more; the log has the error type and stack."""

    status = 500
    code = "INTERNAL_ERROR"
    message = "Internal server error"


# --- issue 13: signing keys, step-up, sign out everywhere ------------------------------------------


class UnknownSigningKey(InvalidToken):
    """The token's `kid` is not a key that verifies here: retired, never ours, or of another stage."""

    code = "UNKNOWN_SIGNING_KEY"
    message = "Token was signed with a key that is not (or no longer) accepted; sign in again"


class PendingTokenRevoked(Unauthorized):
    """The pending token was issued before a "sign out everywhere"."""
    code = "PENDING_TOKEN_REVOKED"
    message = "This pending token was issued before a sign-out everywhere; log in again"


class ReauthenticationRequired(Forbidden):
    """Step-up (RFC 9470): the action needs an authentication at most `max_age` seconds old. A 403,
    never a 401: a refresh cannot make an authentication fresher, and to many clients a 401 means
    "refresh and retry". Call POST /v1/auth/reauthenticate, then send the action again."""

    code = "REAUTHENTICATION_REQUIRED"
    message = "This action needs a more recent sign-in: confirm it with POST /v1/auth/reauthenticate and retry"

    def __init__(self, max_age: int):
        super().__init__(f"This action needs a sign-in at most {max_age} seconds old: confirm it with "
                         "POST /v1/auth/reauthenticate and retry", details=[{"maxAge": max_age}])
        self.max_age = max_age

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": f'Bearer error="insufficient_user_authentication", '
                                    f'error_description="A more recent authentication is required", '
                                    f'max_age={self.max_age}'}


class TwoFactorCodeRequired(Forbidden):
    """`reauthenticate` or `delete-account` without `code` while two-factor sign-in is on."""
    code = "TWO_FACTOR_CODE_REQUIRED"
    message = "Two-factor sign-in is on: send a code too"


# --- issue 15: teams ---------------------------------------------------------------------------------


class MemberNotFound(NotFound):
    """Not a member of the caller's organization: unknown, removed, or another organization's."""

    code = "MEMBER_NOT_FOUND"
    message = "No such member of this organization"


class InvitationNotFound(NotFound):
    """An invitation id that is not one of the organization's pending invitations."""
    code = "INVITATION_NOT_FOUND"
    message = "No such pending invitation"


class LastAdmin(Conflict):
    """Demoting or removing the organization's last admin (themselves included): an organization always keeps
    one."""
    code = "LAST_ADMIN"
    message = "An organization keeps at least one admin: make another member an admin first"


class InvitationExpired(Unauthorized):
    """Accepting an invitation past its 7 days."""
    code = "INVITATION_EXPIRED"
    message = "This invitation has expired; ask for a new one"


class InvitationRevoked(Unauthorized):
    """Accepting an invitation an admin revoked, or replaced by inviting the address again."""
    code = "INVITATION_REVOKED"
    message = "This invitation was revoked or replaced by a newer one"
# --- issue 14: recovery, verification, account changes ---------------------------------------------


class PasswordTooCommon(LatchkeyError):
    """NIST SP 800-63B-4: a new password found in the list of common and breached passwords."""

    code = "PASSWORD_TOO_COMMON"
    message = "This password is too common (it appears in lists of breached passwords): choose another"


class InvalidOneTimeToken(LatchkeyError):
    """Not a token this service issued for this account, or replaced by a newer one."""

    code = "INVALID_ONE_TIME_TOKEN"
    message = "This link is not valid (it may have been replaced by a newer one): ask for a new one"


class OneTimeTokenExpired(LatchkeyError):
    """An email link's token past its lifetime (verification 24 hours, reset 30 minutes)."""
    code = "ONE_TIME_TOKEN_EXPIRED"
    message = "This link has expired: ask for a new one"


class OneTimeTokenUsed(LatchkeyError):
    """An email link's token already spent."""
    code = "ONE_TIME_TOKEN_USED"
    message = "This link has already been used"


class WrongTokenPurpose(LatchkeyError):
    """A one-time token of another purpose (a reset token at verify-email, say)."""

    code = "WRONG_TOKEN_PURPOSE"
    message = "This link is for another action"


class TwoFactorRequired(Unauthorized):
    """A password reset of an account with two-factor sign-in on, without a good code: the reset token
    is not spent, and a reset never bypasses the second factor."""

    code = "TWO_FACTOR_REQUIRED"
    message = "Two-factor sign-in is on: send a current code (or a recovery code) with the new password"


class EmailAlreadyVerified(Conflict):
    """`verify-email/resend` when the address is verified."""
    code = "EMAIL_ALREADY_VERIFIED"
    message = "This email address is already verified"


class SameEmail(LatchkeyError):
    """`change-email` to the account's own address."""
    code = "SAME_EMAIL"
    message = "newEmail is already this account's email"


class SoleAdmin(Conflict):
    """The only admin of an organization with other members cannot leave it without an admin."""

    code = "SOLE_ADMIN"
    message = "You are the only admin of an organization that has other members: make another member admin first"


# --- issue 26: passkeys ------------------------------------------------------------------------------


class InvalidPasskey(Unauthorized):
    """A passkey sign-in (or second factor) that does not check out: an unknown or spent challenge, a
    challenge issued for another request, past its five minutes, the wrong origin or RP ID, no user
    verification, a bad signature, an unknown passkey, or a signature counter that did not rise."""
    code = "INVALID_PASSKEY"
    message = "The passkey could not be verified: ask for new options and try again"


class InvalidPasskeyOnSignedInRoute(Forbidden):
    """`InvalidPasskey` on a signed-in route (register, reauthenticate): 403, the caller's token is fine."""
    code = InvalidPasskey.code
    message = InvalidPasskey.message


class PasskeyNotFound(LatchkeyError):
    """No passkey of the caller's with this id."""
    status = 404
    code = "PASSKEY_NOT_FOUND"
    message = "No such passkey"


class PasskeyAlreadyRegistered(Conflict):
    """The authenticator's passkey for this account is registered already."""
    code = "PASSKEY_ALREADY_REGISTERED"
    message = "This passkey is registered already"


class SecondFactorRequired(LatchkeyError):
    """`verify-2fa` or `reauthenticate` with neither a code nor a credential, or with both."""
    code = "SECOND_FACTOR_REQUIRED"
    message = "Send either a code or a passkey credential"


class ProviderNotFound(NotFound):
    """Federation: no identity provider of this name is on (its client id is not set)."""
    code = "PROVIDER_NOT_FOUND"
    message = "No such sign-in provider"


class InvalidOAuthState(LatchkeyError):
    """Federation's callback: the `state` is unknown, spent, older than 10 minutes, or was issued to
    another browser (its cookie does not match)."""
    code = "INVALID_OAUTH_STATE"
    message = "This sign-in expired or was started elsewhere: start it again"


class FederationFailed(Unauthorized):
    """Federation's callback: the provider refused, its code did not exchange, or its ID token failed a
    check (signature, issuer, audience, nonce, expiry), or it shared no email address."""
    code = "FEDERATION_FAILED"
    message = "The provider's sign-in could not be verified"


class AccountExistsUnlinked(Conflict):
    """Federation: an account uses the provider's address, but the provider or Latchkey does not
    consider it verified, so the identity is not linked; sign in and link it from settings."""
    code = "ACCOUNT_EXISTS_UNLINKED"
    message = "An account uses this address: sign in to it and link this provider from your settings"


class IdentityLinkedElsewhere(Conflict):
    """Federation: linking a provider's identity that another account already signs in with."""
    code = "IDENTITY_LINKED_ELSEWHERE"
    message = "This identity already signs in to another account"


class IdentityNotFound(NotFound):
    """No linked identity of the caller's with this id."""
    code = "IDENTITY_NOT_FOUND"
    message = "No such linked identity"


class LastSignInMethod(Conflict):
    """Unlinking the identity that is the account's last way to sign in (no password, no passkey and no
    other identity)."""
    code = "LAST_SIGN_IN_METHOD"
    message = "This is your last way to sign in: set a password or add a passkey first"
