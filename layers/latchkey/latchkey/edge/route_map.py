"""The route index: for every route of the API, one entry says who may call it (the kinds of caller,
and the role a signed-in user needs), the scope an API key needs there, the function (template
logical id) that serves it, its per-IP rate limit and whether it is a step-up route. Read by the
authorizer (it refuses routes the map does not know), the handlers' guard (403s and 429s, before any
handler logic), the fallback (`Allow`) and the docs' endpoint reference (generated from it); tests hold it
equal to template.yaml."""

from __future__ import annotations

from typing import NamedTuple

from latchkey.errors import AdminOnly, ApiKeyNotAllowed, InsufficientScope, ReauthenticationRequired
from latchkey.rules import clock
from latchkey.rules.records import ADMIN, Principal
from latchkey.rules.scopes import API_KEY, PUBLIC, SCOPES, USER, WRITE_SCOPES  # noqa: F401 - WRITE_SCOPES re-exported
from latchkey.settings import get_settings

__all__ = ["API_KEY", "PUBLIC", "ROUTES", "SCOPES", "USER", "Route", "allowed_methods", "authorize", "find"]


class Route(NamedTuple):
    method: str
    path: str
    callers: frozenset[str]
    scope: str | None = None  # what an API key needs; signed-in users act with their full role
    function: str = ""  # the template's logical id of the function that serves it
    rate_limit: str | None = None  # the per-source-IP limit's action (settings.rate_limits), if any
    step_up: bool = False  # needs an authentication at most ReauthMaxAgeSeconds old (RFC 9470)
    role: str | None = None  # the role a signed-in user needs (ADMIN); None: any member (keys: the scope)


def _route(method: str, path: str, *callers: str, function: str, scope: str | None = None,
           rate_limit: str | None = None, step_up: bool = False, role: str | None = None) -> Route:
    return Route(method, path, frozenset(callers), scope, function, rate_limit, step_up, role)


# Seed 002's clients call the auth endpoints under /api/v1; both paths are served by the same function
# and share its limit's counter.
ROUTES: tuple[Route, ...] = (
    _route("POST", "/v1/auth/register", PUBLIC, function="RegisterFunction", rate_limit="register"),
    _route("POST", "/v1/auth/login", PUBLIC, function="LoginFunction", rate_limit="login"),
    _route("POST", "/api/v1/auth/login", PUBLIC, function="LoginFunction", rate_limit="login"),
    _route("POST", "/v1/auth/refresh", PUBLIC, function="RefreshFunction", rate_limit="refresh"),
    _route("POST", "/api/v1/auth/refresh", PUBLIC, function="RefreshFunction", rate_limit="refresh"),
    _route("POST", "/v1/auth/verify-2fa", PUBLIC, function="VerifyTwoFactorFunction", rate_limit="verify-2fa"),
    _route("POST", "/api/v1/auth/verify-2fa", PUBLIC, function="VerifyTwoFactorFunction", rate_limit="verify-2fa"),
    _route("POST", "/v1/auth/2fa/setup", USER, function="SetupTwoFactorFunction", step_up=True),
    _route("POST", "/v1/auth/2fa/enable", USER, function="EnableTwoFactorFunction", step_up=True),
    _route("POST", "/v1/auth/2fa/disable", USER, function="DisableTwoFactorFunction", step_up=True),
    _route("POST", "/v1/auth/reauthenticate", USER, function="ReauthenticateFunction", rate_limit="reauthenticate"),
    _route("POST", "/v1/auth/passkeys/register/options", USER, function="PasskeyRegisterOptionsFunction",
           step_up=True),
    _route("POST", "/v1/auth/passkeys/register", USER, function="RegisterPasskeyFunction", step_up=True),
    _route("GET", "/v1/auth/passkeys", USER, function="ListPasskeysFunction"),
    _route("PATCH", "/v1/auth/passkeys/{id}", USER, function="RenamePasskeyFunction"),
    _route("DELETE", "/v1/auth/passkeys/{id}", USER, function="DeletePasskeyFunction", step_up=True),
    _route("POST", "/v1/auth/passkeys/login/options", PUBLIC, function="PasskeyLoginOptionsFunction",
           rate_limit="login"),
    _route("POST", "/v1/auth/passkeys/login", PUBLIC, function="PasskeyLoginFunction", rate_limit="login"),
    _route("POST", "/v1/auth/verify-email", PUBLIC, function="VerifyEmailFunction"),
    _route("POST", "/v1/auth/verify-email/resend", USER, function="ResendVerificationFunction"),
    _route("POST", "/v1/auth/forgot-password", PUBLIC, function="ForgotPasswordFunction", rate_limit="forgot-password"),
    _route("POST", "/v1/auth/reset-password", PUBLIC, function="ResetPasswordFunction"),
    _route("POST", "/v1/auth/magic-link", PUBLIC, function="MagicLinkFunction", rate_limit="sign-in-email"),
    _route("POST", "/v1/auth/magic-link/verify", PUBLIC, function="VerifyMagicLinkFunction",
           rate_limit="sign-in-code"),
    _route("POST", "/v1/auth/email-code", PUBLIC, function="EmailCodeFunction", rate_limit="sign-in-email"),
    _route("POST", "/v1/auth/email-code/verify", PUBLIC, function="VerifyEmailCodeFunction",
           rate_limit="sign-in-code"),
    _route("POST", "/v1/auth/change-password", USER, function="ChangePasswordFunction", step_up=True),
    _route("POST", "/v1/auth/change-email", USER, function="ChangeEmailFunction", step_up=True),
    _route("POST", "/v1/auth/change-email/cancel", PUBLIC, function="CancelEmailChangeFunction"),
    _route("POST", "/v1/auth/delete-account", USER, function="DeleteAccountFunction", step_up=True),
    _route("POST", "/v1/auth/logout", USER, function="LogoutFunction"),
    _route("POST", "/api/v1/auth/logout", USER, function="LogoutFunction"),
    _route("POST", "/v1/auth/logout-all", USER, function="LogoutAllFunction"),
    _route("GET", "/v1/auth/sessions", USER, function="ListSessionsFunction"),
    _route("DELETE", "/v1/auth/sessions/{id}", USER, function="RevokeSessionFunction"),
    _route("GET", "/v1/auth/me", USER, function="MeFunction"),
    _route("GET", "/v1/assessments", USER, function="ListAssessmentsFunction"),
    _route("POST", "/v1/assessments", USER, function="CreateAssessmentFunction", role=ADMIN),
    _route("POST", "/v1/api-keys", USER, function="CreateApiKeyFunction", step_up=True),
    _route("GET", "/v1/api-keys", USER, function="ListApiKeysFunction"),
    _route("DELETE", "/v1/api-keys/{id}", USER, function="RevokeApiKeyFunction"),
    _route("GET", "/v1/organization", USER, function="GetOrganizationFunction"),
    _route("GET", "/v1/audit-events", USER, function="ListAuditEventsFunction"),
    # Where candidates and their result tokens are sent: a step-up action, and every admin is told.
    _route("PATCH", "/v1/organization", USER, function="UpdateOrganizationFunction", role=ADMIN, step_up=True),
    # Teams: members read; admins manage members and invitations, each change a step-up action.
    _route("GET", "/v1/organization/members", USER, function="ListMembersFunction"),
    _route("PATCH", "/v1/organization/members/{userId}", USER, function="UpdateMemberFunction", role=ADMIN,
           step_up=True),
    _route("DELETE", "/v1/organization/members/{userId}", USER, function="RemoveMemberFunction", role=ADMIN,
           step_up=True),
    _route("DELETE", "/v1/organization/members/{userId}/sessions", USER, function="EndMemberSessionsFunction",
           role=ADMIN, step_up=True),
    _route("POST", "/v1/organization/invitations", USER, function="InviteMemberFunction", role=ADMIN,
           step_up=True),
    _route("GET", "/v1/organization/invitations", USER, function="ListInvitationsFunction", role=ADMIN),
    _route("DELETE", "/v1/organization/invitations/{id}", USER, function="RevokeInvitationFunction", role=ADMIN,
           step_up=True),
    _route("POST", "/v1/auth/accept-invitation", PUBLIC, function="AcceptInvitationFunction"),
    _route("POST", "/v1/candidate/complete", PUBLIC, function="CompleteAssessmentFunction"),
    _route("GET", "/.well-known/jwks.json", PUBLIC, function="JwksFunction"),
    _route("POST", "/v1/public/candidates", USER, API_KEY, scope="candidates:write",
           function="InviteCandidateFunction", role=ADMIN),
    _route("GET", "/v1/public/candidates", USER, API_KEY, scope="candidates:read", function="ListCandidatesFunction"),
    _route("GET", "/v1/public/candidates/{id}", USER, API_KEY, scope="candidates:read",
           function="GetCandidateFunction"),
    _route("GET", "/v1/public/results/{token}", USER, API_KEY, scope="results:read",
           function="ExchangeResultFunction"),
    _route("GET", "/v1/public/assessments", USER, API_KEY, scope="assessments:read",
           function="ListAssessmentsFunction"),
    _route("GET", "/v1/public/assessments/{id}", USER, API_KEY, scope="assessments:read",
           function="GetPublicAssessmentFunction"),
    _route("GET", "/openapi.json", PUBLIC, function="OpenApiFunction"),
)

_BY_KEY = {(r.method, r.path): r for r in ROUTES}


def find(method: str, path: str) -> Route | None:
    """The route for an API Gateway resource path (`/v1/items/{id}`, not the concrete path)."""
    return _BY_KEY.get((method, path))


def allowed_methods(path: str) -> list[str]:
    return sorted(r.method for r in ROUTES if r.path == path)


def authorize(route: Route, principal: Principal, now: int | None = None, reauth_max_age: int | None = None) -> None:
    """403 unless `principal` may call `route`: keys only where a scope admits them, and a step-up
    route only with an authentication at most `reauth_max_age` (ReauthMaxAgeSeconds) seconds old."""
    if principal.kind not in route.callers:
        raise ApiKeyNotAllowed()
    if principal.kind == API_KEY and route.scope not in principal.scopes:
        raise InsufficientScope(f"This API key lacks the '{route.scope}' scope",
                                details=[{"missingScope": route.scope}])
    if principal.kind == USER and route.role is not None and principal.role != route.role:
        # A key is judged by its scope (and only an admin can create a write-scoped one).
        raise AdminOnly(f"Only organization admins may use '{route.scope}' routes" if route.scope
                        else "Only organization admins may do this")
    if route.step_up:
        max_age = get_settings().reauth_max_age if reauth_max_age is None else reauth_max_age
        if (clock.now() if now is None else now) - principal.auth_time > max_age:
            raise ReauthenticationRequired(max_age)
