"""Every route of the API, declared once: its method and path (and the alias paths the same function
serves), the function that serves it, who may call it, the scope an API key needs, its per-IP rate
limit, whether it is a step-up route, and what it answers (its operation: models, success status,
refusals, the walk-through's example).

`python -m contract` derives from this the authorizer's and the handlers' route index
(latchkey/edge/route_index.py), each function's API events and the fallback's in template.yaml,
events/*.json, the OpenAPI document and the docs' reference tables. Dev-only: not deployed (the layer
reads the generated index, never this, so no cold start imports pydantic for it).

A function serving two routes (not aliases: another path with other callers) gives its operation on
the first; the others leave `operation` out. To add an endpoint, see docs/development/ ("Add an
endpoint")."""

from __future__ import annotations

from dataclasses import dataclass, field

from api.endpoint import Endpoint
from api.endpoints import ENDPOINTS
from latchkey.edge.schemas import (
    api_keys,
    apps,
    assessments,
    audit,
    auth,
    candidates,
    oauth,
    organizations,
    passkeys,
    passwordless,
    recovery,
    sessions,
    teams,
    two_factor,
)
from latchkey.edge.schemas.base import PageQuery
from latchkey.rules.records import ADMIN
from latchkey.rules.scopes import API_KEY, PUBLIC, USER

# Refusals of the token rules (rules/tokens.py) wherever a token arrives in a body or a path.
TOKEN_REFUSALS = ("INVALID_TOKEN", "TOKEN_EXPIRED", "WRONG_STAGE", "WRONG_TOKEN_TYPE")
# Refusals of a one-time token from an email (rules/one_time_tokens.py).
LINK_REFUSALS = ("INVALID_ONE_TIME_TOKEN", "ONE_TIME_TOKEN_EXPIRED", "ONE_TIME_TOKEN_USED", "WRONG_TOKEN_PURPOSE")
PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Sample:
    """The request of the function's sample event (events/<folder>.json: `sam local invoke -e`, the handler
    tests), where it is not the operation's example."""

    body: dict | None = None  # None: the operation's example
    path: dict[str, str] = field(default_factory=dict)  # the path parameters' values
    query: dict[str, str] = field(default_factory=dict)  # the query string's


@dataclass(frozen=True)
class Operation:
    """What a route's function answers: the part of a route the route index does not carry."""

    summary: str
    view: type | None  # the model of `data` (or, not enveloped, of the answer); None: the document itself
    status: int = 200
    body: type | None = None
    query: type | None = None
    errors: dict[int, tuple[str, ...]] = field(default_factory=dict)  # beyond what the route's kind implies
    example: dict | None = None  # the docs walk-through's request body (and the sample event's)
    cookie_mode: bool = False  # honours `X-Token-Transport: cookie` (latchkey.edge.refresh_cookie)
    idempotent: bool = False  # honours `Idempotency-Key` (latchkey.edge.http.idempotent)
    enveloped: bool = True  # False: a standards document (`latchkey.edge.http.document`), as it is
    redirects: bool = False  # answers 302 (Location) and OAuth's own error form (`view`) at 400
    oauth_form: bool = False  # takes a form, answers `view` or OAuth's own error form at 400 and 401
    sample: Sample | None = None  # the sample event's request; None: the example, no parameters


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # the API Gateway resource path, `/v1/items/{id}`
    callers: frozenset[str]  # PUBLIC, USER, API_KEY
    function: str  # the template's logical id of the function that serves it (api/functions.py)
    operation: Operation | None = None  # None: the operation of its function's first route
    scope: str | None = None  # what an API key needs (api/scopes.py); signed-in users act with their full role
    rate_limit: str | None = None  # the per-source-IP limit's action (settings.rate_limits), if any
    step_up: bool = False  # needs an authentication at most ReauthMaxAgeSeconds old (RFC 9470)
    role: str | None = None  # the role a signed-in user needs (ADMIN); None: any member (keys: the scope)
    aliases: tuple[str, ...] = ()  # other paths of the same method, served the same way by the same function

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path, *self.aliases)


def route(method: str, path: str, *callers: str, function: str, operation: Operation | None = None,
          scope: str | None = None, rate_limit: str | None = None, step_up: bool = False, role: str | None = None,
          aliases: tuple[str, ...] = ()) -> Route:
    return Route(method, path, frozenset(callers), function, operation, scope, rate_limit, step_up, role, aliases)


# Seed 002's clients call the auth endpoints under /api/v1 (the aliases); both paths are served by the
# same function and share its limit's counter.
ROUTES: tuple[Route, ...] = (
    route("POST", "/v1/auth/register", PUBLIC, function="RegisterFunction", rate_limit="register", operation=Operation(
        "Create a user and the organization they administer; signed in", auth.SignedInAnswer, 201,
        auth.RegisterBody, cookie_mode=True,
        errors={400: ("VALIDATION_FAILED", "PASSWORD_TOO_COMMON"), 409: ("EMAIL_TAKEN",), 429: ("RATE_LIMITED",)},
        example={"email": "ada@example.com", "password": "correct horse battery staple", "name": "Ada",
                 "organizationName": "Engines"},
        sample=Sample(
            body={"email": "ada@example.com", "password": "correct horse battery staple", "name": "Ada Lovelace",
                  "organizationName": "Analytical Engines"}))),
    route("POST", "/v1/auth/login", PUBLIC, function="LoginFunction", rate_limit="login",
          aliases=("/api/v1/auth/login",), operation=Operation(
        "Sign in with email and password: tokens, or a pending token when two-factor sign-in is on",
        auth.LoginAnswer, body=auth.LoginBody, cookie_mode=True,
        errors={400: ("VALIDATION_FAILED",), 401: ("INVALID_CREDENTIALS",), 423: ("ACCOUNT_LOCKED",),
                429: ("RATE_LIMITED",)},  # 429 also: too many attempts at this email from this address
        example={"email": "ada@example.com", "password": "correct horse battery staple"})),
    route("POST", "/v1/auth/refresh", PUBLIC, function="RefreshFunction", rate_limit="refresh",
          aliases=("/api/v1/auth/refresh",), operation=Operation(
        "Rotate a refresh token into a new access + refresh pair; the one sent is spent", auth.TokensAnswer,
        body=auth.RefreshBody, cookie_mode=True,
        errors={401: ("NO_REFRESH_TOKEN", *TOKEN_REFUSALS, "SESSION_REVOKED", "REFRESH_TOKEN_REUSED",
                      "REFRESH_TOKEN_EXPIRED"), 429: ("RATE_LIMITED",)},
        sample=Sample(body={"refreshToken": "<refresh token>"}))),
    route("POST", "/v1/auth/verify-2fa", PUBLIC, function="VerifyTwoFactorFunction", rate_limit="verify-2fa",
          aliases=("/api/v1/auth/verify-2fa",), operation=Operation(
        "The pending token and a TOTP or recovery code: exactly login's answer", auth.SignedInAnswer,
        body=auth.VerifyTwoFactorBody, cookie_mode=True,
        errors={400: ("SECOND_FACTOR_REQUIRED",),
                401: (*TOKEN_REFUSALS, "INVALID_2FA_CODE", "INVALID_PASSKEY", "PENDING_TOKEN_USED",
                      "PENDING_TOKEN_EXHAUSTED", "PENDING_TOKEN_REVOKED"),
                404: ("USER_NOT_FOUND",), 423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
        example={"pendingToken": "eyJ…", "code": "654321"},
        sample=Sample(body={"pendingToken": "<pending token from login>", "code": "123456"}))),
    route("POST", "/v1/auth/2fa/setup", USER, function="SetupTwoFactorFunction", step_up=True, operation=Operation(
        "A new TOTP secret, not active until enabled", two_factor.TwoFactorSetupView,
        errors={403: ("REAUTHENTICATION_REQUIRED",), 404: ("USER_NOT_FOUND",), 409: ("TWO_FACTOR_ALREADY_ENABLED",)})),
    route("POST", "/v1/auth/2fa/enable", USER, function="EnableTwoFactorFunction", step_up=True, operation=Operation(
        "Confirm the new secret with the password and a code: ten recovery codes, shown once",
        two_factor.TwoFactorEnabledView, body=two_factor.EnableTwoFactorBody,
        errors={403: ("INVALID_PASSWORD", "INVALID_2FA_CODE", "REAUTHENTICATION_REQUIRED"), 404: ("USER_NOT_FOUND",),
                409: ("TWO_FACTOR_ALREADY_ENABLED", "TWO_FACTOR_NOT_SET_UP", "TWO_FACTOR_SETUP_CHANGED"),
                423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
        example={"password": PASSWORD, "code": "123456"})),
    route("POST", "/v1/auth/2fa/disable", USER, function="DisableTwoFactorFunction", step_up=True, operation=Operation(
        "Turn two-factor sign-in off with the password and a code", two_factor.TwoFactorDisabledView,
        body=two_factor.DisableTwoFactorBody,
        errors={403: ("INVALID_PASSWORD", "INVALID_2FA_CODE", "REAUTHENTICATION_REQUIRED"), 404: ("USER_NOT_FOUND",),
                409: ("TWO_FACTOR_NOT_ENABLED",), 423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
        example={"password": "correct horse battery staple", "code": "654321"},
        sample=Sample(body={"password": "correct horse battery staple", "code": "123456"}))),
    route("POST", "/v1/auth/reauthenticate", USER, function="ReauthenticateFunction", rate_limit="reauthenticate",
          operation=Operation(
        "The password again (and a code with two-factor on): a fresh pair of this session, auth_time now",
        auth.TokensAnswer, body=auth.ReauthenticateBody, cookie_mode=True,
        errors={400: ("SECOND_FACTOR_REQUIRED",),
                403: ("INVALID_PASSWORD", "INVALID_2FA_CODE", "TWO_FACTOR_CODE_REQUIRED", "INVALID_PASSKEY"),
                404: ("USER_NOT_FOUND",), 423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
        example={"password": "correct horse battery staple"})),
    route("POST", "/v1/auth/passkeys/register/options", USER, function="PasskeyRegisterOptionsFunction", step_up=True,
          operation=Operation(
        "Creation options for a new passkey (WebAuthn Level 3 JSON), its challenge bound to this session",
        passkeys.PasskeyOptionsView, errors={403: ("REAUTHENTICATION_REQUIRED",), 404: ("USER_NOT_FOUND",)})),
    route("POST", "/v1/auth/passkeys/register", USER, function="RegisterPasskeyFunction", step_up=True,
          operation=Operation(
        "The new passkey's credential (`credential.toJSON()`) and a name: the passkey", passkeys.PasskeyView, 201,
        passkeys.RegisterPasskeyBody,
        errors={403: ("INVALID_PASSKEY", "REAUTHENTICATION_REQUIRED"), 404: ("USER_NOT_FOUND",),
                409: ("PASSKEY_ALREADY_REGISTERED",)},
        sample=Sample(
            body={"credential": {"id": "<credential id>", "rawId": "<credential id>", "type": "public-key",
                  "response": {}}, "name": "Laptop"}))),
    route("GET", "/v1/auth/passkeys", USER, function="ListPasskeysFunction", operation=Operation(
        "The user's passkeys, oldest first", passkeys.PasskeyListView,
        errors={404: ("USER_NOT_FOUND",)})),
    route("PATCH", "/v1/auth/passkeys/{id}", USER, function="RenamePasskeyFunction", operation=Operation(
        "A new name for one of the user's passkeys", passkeys.PasskeyView,
        body=passkeys.RenamePasskeyBody, errors={404: ("PASSKEY_NOT_FOUND",)},
        sample=Sample(body={"name": "Work laptop"}, path={"id": "pk_sample"}))),
    route("DELETE", "/v1/auth/passkeys/{id}", USER, function="DeletePasskeyFunction", step_up=True, operation=Operation(
        "Remove one of the user's passkeys", passkeys.PasskeyRemovedView,
        errors={403: ("REAUTHENTICATION_REQUIRED",),
                404: ("PASSKEY_NOT_FOUND", "USER_NOT_FOUND")},
        sample=Sample(path={"id": "pk_sample"}))),
    route("POST", "/v1/auth/passkeys/login/options", PUBLIC, function="PasskeyLoginOptionsFunction", rate_limit="login",
          operation=Operation(
        "Request options for a passkey: `{}` to sign in without a password, `{\"pendingToken\"}` for the second "
        "factor, a Bearer token for the step-up", passkeys.PasskeyOptionsView, body=passkeys.PasskeyLoginOptionsBody,
        errors={401: (*TOKEN_REFUSALS, "SESSION_REVOKED"), 404: ("USER_NOT_FOUND",), 429: ("RATE_LIMITED",)},
        sample=Sample(body={}))),
    route("POST", "/v1/auth/passkeys/login", PUBLIC, function="PasskeyLoginFunction", rate_limit="login",
          operation=Operation(
        "Sign in with a passkey alone (user verification counts as two factors): exactly login's answer",
        auth.SignedInAnswer, body=passkeys.PasskeyLoginBody, cookie_mode=True,
        errors={401: ("INVALID_PASSKEY",), 429: ("RATE_LIMITED",)},
        sample=Sample(
            body={"credential": {"id": "<credential id>", "rawId": "<credential id>", "type": "public-key",
                  "response": {}}}))),
    route("POST", "/v1/auth/verify-email", PUBLIC, function="VerifyEmailFunction", operation=Operation(
        "The token from a verification email (the address is verified) or one of an email change's two links "
        "(the account moves to the new address once both came back)", recovery.EmailVerifiedView,
        body=recovery.VerifyEmailBody,
        errors={400: LINK_REFUSALS, 409: ("EMAIL_TAKEN",)}, example={"token": "verify.user_….<secret>"},
        sample=Sample(
            body={"token": "verify.user_018f2a6b3c4d5e6f7a8b9c0d.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}))),
    route("POST", "/v1/auth/verify-email/resend", USER, function="ResendVerificationFunction", operation=Operation(
        "A new verification link to the user's address (the older ones stop working)", recovery.AcceptedView, 202,
        errors={404: ("USER_NOT_FOUND",), 409: ("EMAIL_ALREADY_VERIFIED",)})),
    route("POST", "/v1/auth/forgot-password", PUBLIC, function="ForgotPasswordFunction", rate_limit="forgot-password",
          operation=Operation(
        "A reset link to the address's account, if any: the same answer for every address", recovery.AcceptedView,
        202, recovery.ForgotPasswordBody, errors={429: ("RATE_LIMITED",)}, example={"email": "ada@example.com"})),
    route("POST", "/v1/auth/reset-password", PUBLIC, function="ResetPasswordFunction", operation=Operation(
        "A new password with a reset token (and a code with two-factor on); every session ends, no tokens",
        recovery.PasswordChangedView, body=recovery.ResetPasswordBody,
        errors={400: (*LINK_REFUSALS, "PASSWORD_TOO_COMMON"), 401: ("TWO_FACTOR_REQUIRED",)},
        example={"token": "reset.user_….<secret>", "password": "a new long passphrase"},
        sample=Sample(
            body={"token": "reset.user_018f2a6b3c4d5e6f7a8b9c0d.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                  "password": "a new long passphrase"}))),
    route("POST", "/v1/auth/magic-link", PUBLIC, function="MagicLinkFunction", rate_limit="sign-in-email",
          operation=Operation(
        "A sign-in link to the address (or, with no account, a note that says so): the same answer for every "
        "address", recovery.AcceptedView, 202, passwordless.SignInEmailBody, errors={429: ("RATE_LIMITED",)},
        sample=Sample(body={"email": "ada@example.com"}))),
    route("POST", "/v1/auth/magic-link/verify", PUBLIC, function="VerifyMagicLinkFunction", rate_limit="sign-in-code",
          operation=Operation(
        "The token from a sign-in link: exactly login's answer (the address is verified)", auth.LoginAnswer,
        body=passwordless.VerifyMagicLinkBody, cookie_mode=True,
        errors={400: LINK_REFUSALS, 404: ("USER_NOT_FOUND",), 429: ("RATE_LIMITED",)},
        sample=Sample(
            body={"token": "magic.user_0123456789abcdef01234567.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}))),
    route("POST", "/v1/auth/email-code", PUBLIC, function="EmailCodeFunction", rate_limit="sign-in-email",
          operation=Operation(
        "A six-digit sign-in code to the address (or, with no account, a note that says so): the same answer for "
        "every address", recovery.AcceptedView, 202, passwordless.SignInEmailBody, errors={429: ("RATE_LIMITED",)},
        sample=Sample(body={"email": "ada@example.com"}))),
    route("POST", "/v1/auth/email-code/verify", PUBLIC, function="VerifyEmailCodeFunction", rate_limit="sign-in-code",
          operation=Operation(
        "The address and the code sent to it: exactly login's answer (the address is verified)", auth.LoginAnswer,
        body=passwordless.VerifyEmailCodeBody, cookie_mode=True,
        errors={400: ("VALIDATION_FAILED",), 401: ("INVALID_SIGN_IN_CODE",), 404: ("USER_NOT_FOUND",),
                423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
        sample=Sample(body={"email": "ada@example.com", "code": "123456"}))),
    route("POST", "/v1/auth/change-password", USER, function="ChangePasswordFunction", step_up=True,
          operation=Operation(
        "A new password (the current one again); every other session ends", recovery.PasswordChangedView,
        body=recovery.ChangePasswordBody,
        errors={400: ("PASSWORD_TOO_COMMON",), 403: ("INVALID_PASSWORD", "REAUTHENTICATION_REQUIRED"),
                404: ("USER_NOT_FOUND",), 423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
        example={"currentPassword": "a new long passphrase", "newPassword": PASSWORD},
        sample=Sample(
            body={"currentPassword": "correct horse battery staple", "newPassword": "a new long passphrase"}))),
    route("POST", "/v1/auth/change-email", USER, function="ChangeEmailFunction", step_up=True, operation=Operation(
        "A confirmation link to a new address and an approve-or-cancel link to the current one; the account "
        "moves once both came back",
        recovery.EmailChangePendingView, 202, recovery.ChangeEmailBody,
        errors={400: ("SAME_EMAIL",), 403: ("INVALID_PASSWORD", "REAUTHENTICATION_REQUIRED"),
                404: ("USER_NOT_FOUND",), 409: ("EMAIL_TAKEN",), 423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
        example={"password": PASSWORD, "newEmail": "ada.lovelace@example.com"},
        sample=Sample(body={"password": "correct horse battery staple", "newEmail": "ada.new@example.com"}))),
    route("POST", "/v1/auth/change-email/cancel", PUBLIC, function="CancelEmailChangeFunction", operation=Operation(
        "The link mailed to the current address cancels a pending email change", recovery.EmailChangeCancelledView,
        body=recovery.VerifyEmailBody, errors={400: LINK_REFUSALS},
        sample=Sample(
            body={"token": "approve.user_018f2a6b3c4d5e6f7a8b9c0d.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}))),
    route("POST", "/v1/auth/delete-account", USER, function="DeleteAccountFunction", step_up=True, operation=Operation(
        "Delete the account: credentials, sessions, two-factor data and the user's keys at once",
        recovery.AccountDeletedView, body=recovery.DeleteAccountBody,
        errors={403: ("INVALID_PASSWORD", "INVALID_2FA_CODE", "TWO_FACTOR_CODE_REQUIRED", "REAUTHENTICATION_REQUIRED"),
                404: ("USER_NOT_FOUND",), 409: ("SOLE_ADMIN",), 423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
        example={"password": PASSWORD})),
    route("POST", "/v1/auth/logout", USER, function="LogoutFunction", aliases=("/api/v1/auth/logout",),
          operation=Operation(
        "End this session now", auth.LoggedOutView, cookie_mode=True)),
    route("POST", "/v1/auth/logout-all", USER, function="LogoutAllFunction", operation=Operation(
        "Sign out everywhere: every session, pending-2FA tokens, and the caller's keys if asked",
        auth.LoggedOutEverywhereView, body=auth.LogoutAllBody, cookie_mode=True)),
    route("GET", "/v1/auth/sessions", USER, function="ListSessionsFunction", operation=Operation(
        "The user's live sessions, the current one marked", sessions.SessionListView)),
    route("DELETE", "/v1/auth/sessions/{id}", USER, function="RevokeSessionFunction", operation=Operation(
        "End one of the user's own sessions", sessions.RevokedView,
        errors={404: ("SESSION_NOT_FOUND",)},
        sample=Sample(path={"id": "ses_000000000000000000000old"}))),
    route("GET", "/v1/auth/me", USER, function="MeFunction", operation=Operation(
        "The signed-in user (and the address an email change waits on)", auth.MeView,
        errors={404: ("USER_NOT_FOUND",)})),
    route("GET", "/v1/assessments", USER, function="ListAssessmentsFunction", operation=Operation(
        "The organization's assessments, oldest first, paged",
        assessments.AssessmentPageView, query=PageQuery)),
    route("POST", "/v1/assessments", USER, function="CreateAssessmentFunction", role=ADMIN, operation=Operation(
        "Create an assessment", assessments.AssessmentView, 201, assessments.CreateAssessmentBody, idempotent=True,
        example={"title": "Backend screen", "description": "Python"},
        sample=Sample(body={"title": "Backend engineer screen", "description": "Python and AWS"}))),
    route("POST", "/v1/api-keys", USER, function="CreateApiKeyFunction", step_up=True, operation=Operation(
        "Create an API key; `key` is in this response only (write scopes: admins only)", api_keys.NewApiKeyView,
        201, api_keys.CreateApiKeyBody, idempotent=True,
        errors={400: ("INVALID_SCOPE", "INVALID_EXPIRY"), 403: ("ADMIN_ONLY", "REAUTHENTICATION_REQUIRED")},
        example={"name": "Production Integration",
                 "scopes": ["assessments:read", "candidates:read", "candidates:write", "results:read"]},
        sample=Sample(
            body={"name": "Production Integration", "scopes": ["assessments:read", "candidates:read",
                  "results:read"]}))),
    route("GET", "/v1/api-keys", USER, function="ListApiKeysFunction", operation=Operation(
        "The organization's keys, never their secret", api_keys.ApiKeyListView)),
    route("DELETE", "/v1/api-keys/{id}", USER, function="RevokeApiKeyFunction", operation=Operation(
        "Revoke a key (another member's: admins only)", sessions.RevokedView,
        errors={403: ("ADMIN_ONLY",), 404: ("API_KEY_NOT_FOUND",)},
        sample=Sample(path={"id": "key_00000000000000000000dead"}))),
    route("GET", "/v1/organization", USER, function="GetOrganizationFunction", operation=Operation(
        "The organization and its resultRedirectUrl", organizations.OrganizationView,
        errors={404: ("ORGANIZATION_NOT_FOUND",)})),
    route("GET", "/v1/audit-events", USER, function="ListAuditEventsFunction", operation=Operation(
        "The audit trail, newest first, paged: an admin's organization, a member's own events",
        audit.AuditEventPageView, query=audit.AuditEventPageQuery, errors={403: ("ADMIN_ONLY",)},
        sample=Sample(query={"type": "auth.sign_in.failed", "limit": "20"}))),
    # Where candidates and their result tokens are sent: a step-up action, and every admin is told.
    route("PATCH", "/v1/organization", USER, function="UpdateOrganizationFunction", step_up=True, role=ADMIN,
          operation=Operation(
        "Set (or, with null, clear) the result redirect URL", organizations.OrganizationView,
        body=organizations.UpdateOrganizationBody,
        errors={404: ("ORGANIZATION_NOT_FOUND",)},
        example={"resultRedirectUrl": "https://app.example.com/assessment-done?source=latchkey"})),
    # Teams: members read; admins manage members and invitations, each change a step-up action.
    route("GET", "/v1/organization/members", USER, function="ListMembersFunction", operation=Operation(
        "The organization's members, oldest first, paged", teams.MemberPageView,
        query=PageQuery,
        sample=Sample(query={"limit": "50"}))),
    route("PATCH", "/v1/organization/members/{userId}", USER, function="UpdateMemberFunction", step_up=True, role=ADMIN,
          operation=Operation(
        "Change a member's role, effective on their next request; the organization keeps an admin",
        teams.MemberView, body=teams.UpdateMemberBody, errors={404: ("MEMBER_NOT_FOUND",), 409: ("LAST_ADMIN",)},
        sample=Sample(body={"role": "ADMIN"}, path={"userId": "user_00000000000000000000beef"}))),
    route("DELETE", "/v1/organization/members/{userId}", USER, function="RemoveMemberFunction", step_up=True,
          role=ADMIN, operation=Operation(
        "Remove a member: their sessions end and the API keys they created are revoked at once",
        teams.RemovedMemberView, errors={404: ("MEMBER_NOT_FOUND",), 409: ("LAST_ADMIN",)},
        sample=Sample(path={"userId": "user_00000000000000000000beef"}))),
    route("DELETE", "/v1/organization/members/{userId}/sessions", USER, function="EndMemberSessionsFunction",
          step_up=True, role=ADMIN, operation=Operation(
        "End every session of a member", teams.SessionsEndedView,
        errors={404: ("MEMBER_NOT_FOUND",)},
        sample=Sample(path={"userId": "user_00000000000000000000beef"}))),
    route("POST", "/v1/organization/invitations", USER, function="InviteMemberFunction", step_up=True, role=ADMIN,
          operation=Operation(
        "Invite an address to the organization with a role; the token goes to the invitee by email only",
        teams.InvitationView, 201, teams.InviteMemberBody, idempotent=True,
        errors={409: ("EMAIL_TAKEN",), 429: ("RATE_LIMITED",)},
        example={"email": "alan@example.com", "role": "MEMBER"},
        sample=Sample(body={"email": "grace@example.com", "role": "MEMBER"}))),
    route("GET", "/v1/organization/invitations", USER, function="ListInvitationsFunction", role=ADMIN,
          operation=Operation(
        "The organization's pending invitations, never their tokens",
        teams.InvitationListView)),
    route("DELETE", "/v1/organization/invitations/{id}", USER, function="RevokeInvitationFunction", step_up=True,
          role=ADMIN, operation=Operation(
        "Revoke a pending invitation", sessions.RevokedView,
        errors={404: ("INVITATION_NOT_FOUND",)},
        sample=Sample(path={"id": "inv_00000000000000000000dead"}))),
    # OAuth apps: the apps that sign the organization's users in through Latchkey (docs/concepts/oauth.md).
    route("POST", "/v1/organization/apps", USER, function="CreateAppFunction", step_up=True, role=ADMIN,
          operation=Operation(
        "Register an OAuth app; a confidential app's `clientSecret` is in this response only", apps.NewAppView,
        201, apps.CreateAppBody, errors={400: ("INVALID_SCOPE",)},
        sample=Sample(body={"name": "Grading portal", "redirectUris": ["https://portal.example.com/callback"],
                            "type": "confidential", "scopes": ["assessments:read"]}))),
    route("GET", "/v1/organization/apps", USER, function="ListAppsFunction", role=ADMIN, operation=Operation(
        "The organization's OAuth apps, never their secret", apps.AppListView)),
    route("PATCH", "/v1/organization/apps/{id}", USER, function="UpdateAppFunction", step_up=True, role=ADMIN,
          operation=Operation(
        "Change an app's name, redirect URIs, scopes or first-party flag", apps.AppView, body=apps.UpdateAppBody,
        errors={400: ("INVALID_SCOPE",), 404: ("APP_NOT_FOUND",)},
        sample=Sample(body={"redirectUris": ["https://portal.example.com/callback"]},
                      path={"id": "app_00000000000000000000dead"}))),
    route("DELETE", "/v1/organization/apps/{id}", USER, function="DeleteAppFunction", step_up=True, role=ADMIN,
          operation=Operation(
        "Delete an app: its client id and secret are refused from then on", sessions.RevokedView,
        errors={404: ("APP_NOT_FOUND",)},
        sample=Sample(path={"id": "app_00000000000000000000dead"}))),
    route("POST", "/v1/organization/apps/{id}/rotate-secret", USER, function="RotateAppSecretFunction",
          step_up=True, role=ADMIN, operation=Operation(
        "A confidential app's new secret, in this response only; the previous one is refused at once",
        apps.AppSecretView, errors={404: ("APP_NOT_FOUND",), 409: ("PUBLIC_APP",)},
        sample=Sample(path={"id": "app_00000000000000000000dead"}))),
    route("POST", "/v1/auth/accept-invitation", PUBLIC, function="AcceptInvitationFunction", operation=Operation(
        "Accept an invitation with a name and a password: the new member, signed in (exactly login's body)",
        auth.SignedInView, 201, teams.AcceptInvitationBody,
        errors={400: ("PASSWORD_TOO_COMMON",), 401: ("INVALID_INVITATION", "INVITATION_EXPIRED", "INVITATION_REVOKED"),
                404: ("ORGANIZATION_NOT_FOUND",), 409: ("INVITATION_USED", "EMAIL_TAKEN")},
        example={"token": "inv_….<secret>", "name": "Alan Turing", "password": "correct horse battery staple"},
        sample=Sample(
            body={"token": "inv_00000000000000000000dead.not-a-real-secret", "name": "Grace",
                  "password": "correct horse battery staple"}))),
    route("POST", "/v1/candidate/complete", PUBLIC, function="CompleteAssessmentFunction", operation=Operation(
        "Record a candidate's answers, once: where to send them next", candidates.CompletionView,
        body=candidates.CompleteAssessmentBody,
        errors={400: ("ANSWERS_TOO_LARGE", "ANSWERS_TOO_DEEP"), 401: ("INVALID_INVITATION",),
                409: ("INVITATION_USED",)},
        example={"invitationToken": "cand_….<secret>", "answers": {"q1": "B"}},
        sample=Sample(
            body={"invitationToken": "<invitation token>", "answers": {"q1": "B", "q2": ["a", "c"], "essay": "..."}}))),
    route("GET", "/.well-known/jwks.json", PUBLIC, function="JwksFunction", operation=Operation(
        "The public keys that verify access tokens (RFC 7517)", auth.JwksView, enveloped=False)),
    # The OAuth 2.1 / OpenID Connect provider's documents (docs/concepts/oauth.md).
    route("GET", "/.well-known/openid-configuration", PUBLIC, function="OAuthMetadataFunction", operation=Operation(
        "The OAuth authorization server's metadata (RFC 8414; OpenID Connect Discovery 1.0)",
        oauth.AuthorizationServerMetadataView, enveloped=False)),
    route("GET", "/.well-known/oauth-authorization-server", PUBLIC, function="OAuthMetadataFunction"),
    route("GET", "/.well-known/oauth-protected-resource", PUBLIC, function="ProtectedResourceMetadataFunction",
          operation=Operation("The API's protected-resource metadata (RFC 9728)", oauth.ProtectedResourceMetadataView,
                              enveloped=False)),
    route("GET", "/oauth2/authorize", PUBLIC, function="AuthorizeFunction", operation=Operation(
        "Start the authorization-code flow (PKCE S256): 302 to the hosted sign-in page, or OAuth's error "
        "(at the app's redirect URI once it is verified)", oauth.OAuthErrorView, 302, enveloped=False,
        redirects=True, sample=Sample(query={
            "response_type": "code", "client_id": "app_00000000000000000000dead",
            "redirect_uri": "https://portal.example.com/callback", "scope": "openid email",
            "state": "af0ifjsldkj", "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method": "S256"}))),
    route("POST", "/oauth2/authorize/decision", USER, function="AuthorizeDecisionFunction", operation=Operation(
        "The hosted sign-in page's next step for an authorization request: sign in again, consent, or "
        "the app's redirect URI", oauth.AuthorizationDecisionView, body=oauth.AuthorizationDecisionBody,
        errors={404: ("AUTHORIZATION_REQUEST_NOT_FOUND",)},
        sample=Sample(body={"request": "Zm9yLWV4YW1wbGUtb25seS1ub3QtcmVhbA", "decision": "allow"}))),
    route("POST", "/oauth2/token", PUBLIC, function="OAuthTokenFunction", operation=Operation(
        "Redeem an authorization code (with its PKCE verifier) for an access token and, with `openid`, an "
        "ID token (application/x-www-form-urlencoded; OAuth's answer and errors)", oauth.TokenView,
        enveloped=False, oauth_form=True)),
    route("POST", "/oauth2/revoke", PUBLIC, function="OAuthRevokeFunction", operation=Operation(
        "Revoke an app's access or refresh token (RFC 7009): the sign-in's session ends; 200 for an unknown "
        "token too (application/x-www-form-urlencoded)", oauth.RevokedTokenView, enveloped=False, oauth_form=True)),
    route("POST", "/oauth2/introspect", PUBLIC, function="OAuthIntrospectFunction", operation=Operation(
        "Whether an access token of the app's organization is live (RFC 7662; confidential apps; "
        "application/x-www-form-urlencoded)", oauth.IntrospectionView, enveloped=False, oauth_form=True)),
    route("GET", "/oauth2/userinfo", USER, function="OAuthUserInfoFunction", operation=Operation(
        "The signed-in user's claims, as the access token's scope allows (OpenID Connect)", oauth.UserInfoView,
        enveloped=False, errors={403: ("INSUFFICIENT_SCOPE",)})),
    route("POST", "/oauth2/userinfo", USER, function="OAuthUserInfoFunction"),  # OpenID Connect Core 5.3.1: both
    route("POST", "/v1/public/candidates", USER, API_KEY, function="InviteCandidateFunction", scope="candidates:write",
          role=ADMIN, operation=Operation(
        "Invite a candidate to an assessment; the invitation token is in this response only",
        candidates.InvitedCandidateView, 201, candidates.InviteCandidateBody, idempotent=True,
        errors={400: ("INVALID_ASSESSMENT_ID",), 404: ("ASSESSMENT_NOT_FOUND",)},
        example={"assessmentId": "asm_…", "email": "grace@example.com", "name": "Grace Hopper"},
        sample=Sample(
            body={"assessmentId": "asm_000000000000000000000one", "email": "grace@example.com",
                  "name": "Grace Hopper"}))),
    route("GET", "/v1/public/candidates", USER, API_KEY, function="ListCandidatesFunction", scope="candidates:read",
          operation=Operation(
        "The organization's candidates, oldest first, paged; never their token",
        candidates.CandidatePageView, query=candidates.CandidatePageQuery,
        errors={400: ("INVALID_ASSESSMENT_ID",)})),
    route("GET", "/v1/public/candidates/{id}", USER, API_KEY, function="GetCandidateFunction", scope="candidates:read",
          operation=Operation(
        "One of the organization's candidates", candidates.CandidateView,
        errors={404: ("CANDIDATE_NOT_FOUND",)},
        sample=Sample(path={"id": "cand_00000000000000000000one"}))),
    route("GET", "/v1/public/results/{token}", USER, API_KEY, function="ExchangeResultFunction", scope="results:read",
          operation=Operation(
        "Exchange a result token (15 minutes) for the full result", candidates.ResultView,
        errors={401: (*TOKEN_REFUSALS, "RESULT_TOKEN_EXPIRED"), 404: ("RESULT_NOT_FOUND",)},
        sample=Sample(path={"token": "<result token>"}))),
    route("GET", "/v1/public/assessments", USER, API_KEY, function="ListAssessmentsFunction", scope="assessments:read"),
    route("GET", "/v1/public/assessments/{id}", USER, API_KEY, function="GetPublicAssessmentFunction",
          scope="assessments:read", operation=Operation(
        "One of the organization's assessments", assessments.AssessmentView,
        errors={404: ("ASSESSMENT_NOT_FOUND",)},
        sample=Sample(path={"id": "asm_000000000000000000000one"}))),
    route("GET", "/openapi.json", PUBLIC, function="OpenApiFunction", operation=Operation(
        "This document", None)),
)


def _yours(endpoint: Endpoint) -> Route:
    return route(endpoint.method, endpoint.path, *endpoint.callers, function=endpoint.logical_id, scope=endpoint.scope,
                 step_up=endpoint.step_up, role=endpoint.role, operation=Operation(
                     endpoint.summary, endpoint.view, endpoint.status, endpoint.body, errors=endpoint.errors))


# Your own endpoints (api/endpoints/), after Latchkey's.
ROUTES += tuple(_yours(endpoint) for endpoint in ENDPOINTS)


def operation(function: str) -> Operation:
    """The operation of `function` (a logical id): given on its first route."""
    return next(r.operation for r in ROUTES if r.function == function and r.operation is not None)
