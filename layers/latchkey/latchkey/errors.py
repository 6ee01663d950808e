"""The one error hierarchy: every refusal the service makes, with its HTTP status and stable code."""

from __future__ import annotations


class LatchkeyError(Exception):
    """A refusal a client may see. `code` is stable and machine-readable; `message` is for people."""

    status = 400
    code = "BAD_REQUEST"
    message = "Bad request"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        details: list | None = None,
    ):
        self.message = message or type(self).message
        self.code = code or type(self).code
        self.status = status or type(self).status
        self.details = details
        super().__init__(self.message)

    def headers(self) -> dict[str, str]:
        return {}


class InvalidJson(LatchkeyError):
    code = "INVALID_JSON"
    message = "Request body is not valid JSON"


class ValidationFailed(LatchkeyError):
    code = "VALIDATION_FAILED"
    message = "Request body failed validation"


class PayloadTooLarge(LatchkeyError):
    status = 413
    code = "PAYLOAD_TOO_LARGE"
    message = "Request body is too large"


class UnsupportedMediaType(LatchkeyError):
    status = 415
    code = "UNSUPPORTED_MEDIA_TYPE"
    message = "Content-Type must be application/json"


class Unauthorized(LatchkeyError):
    status = 401
    code = "UNAUTHORIZED"
    message = "Unauthorized"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"}


class InvalidCredentials(Unauthorized):
    code = "INVALID_CREDENTIALS"
    message = "Invalid email or password"


class NoBearerToken(Unauthorized):
    code = "NO_BEARER_TOKEN"
    message = "No bearer token"


class InvalidToken(Unauthorized):
    code = "INVALID_TOKEN"
    message = "Token is invalid"


class TokenExpired(Unauthorized):
    code = "TOKEN_EXPIRED"
    message = "Token has expired"


class WrongTokenType(Unauthorized):
    code = "WRONG_TOKEN_TYPE"
    message = "Wrong token type for this use"


class SessionRevoked(Unauthorized):
    code = "SESSION_REVOKED"
    message = "This session has ended; sign in again"


class RefreshTokenReused(Unauthorized):
    code = "REFRESH_TOKEN_REUSED"
    message = "Refresh token was already used; the session has been revoked"


class InvalidApiKey(Unauthorized):
    code = "INVALID_API_KEY"
    message = "API key is invalid"


class InvalidCode(Unauthorized):
    code = "INVALID_2FA_CODE"
    message = "Invalid two-factor code"


class Forbidden(LatchkeyError):
    status = 403
    code = "FORBIDDEN"
    message = "You are not allowed to do this"


class TryLater(LatchkeyError):
    """A refusal that ends by itself: `Retry-After` says in how many seconds."""

    def __init__(self, message: str | None = None, *, retry_after: int):
        super().__init__(message)
        self.retry_after = max(1, retry_after)

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class AccountLocked(TryLater):
    status = 423
    code = "ACCOUNT_LOCKED"
    message = "Account locked \u2014 too many failed attempts"


class RateLimited(TryLater):
    status = 429
    code = "RATE_LIMITED"
    message = "Too many requests"


class NotFound(LatchkeyError):
    status = 404
    code = "NOT_FOUND"
    message = "Not found"


class MethodNotAllowed(LatchkeyError):
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
    code = "CONFLICT"
    message = "Conflict"


class EmailTaken(Conflict):
    code = "EMAIL_TAKEN"
    message = "An account with this email already exists"


class UnknownSigningKey(InvalidToken):
    """The token's `kid` is not a key that verifies here: retired, never ours, or of another stage."""

    code = "UNKNOWN_SIGNING_KEY"
    message = "Token was signed with a key that is not (or no longer) accepted; sign in again"


class ReauthenticationRequired(Forbidden):
    """Step-up (RFC 9470): the action needs an authentication at most `max_age` seconds old. A 403,
    never a 401: a refresh cannot make an authentication fresher, and to seed-2 clients a 401 means
    "refresh and retry"."""

    code = "REAUTHENTICATION_REQUIRED"

    def __init__(self, max_age: int):
        super().__init__(f"This action needs a sign-in at most {max_age} seconds old: confirm it with "
                         "POST /v1/auth/reauthenticate and retry", details=[{"maxAge": max_age}])
        self.max_age = max_age

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": f'Bearer error="insufficient_user_authentication", '
                                    f'error_description="A more recent authentication is required", '
                                    f'max_age={self.max_age}'}
