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

from api.endpoint import Endpoint
from api.endpoints import ENDPOINTS
from api.modules import MODULES
from api.route import LINK_REFUSALS, PASSWORD, TOKEN_REFUSALS, Answers, Operation, Route, Sample, route  # noqa: F401
from latchkey.edge.schemas import (
    admin,
    api_keys,
    apps,
    audit,
    auth,
    federation,
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
from latchkey.rules.scopes import API_KEY, OPERATOR, PUBLIC, USER

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
        # 429 also: too many attempts at this email from this address
        errors={400: ("VALIDATION_FAILED",), 401: ("INVALID_CREDENTIALS",), 403: ("ACCOUNT_DISABLED",),
                423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
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
                403: ("ACCOUNT_DISABLED",), 404: ("USER_NOT_FOUND",), 423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
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
        errors={401: ("INVALID_PASSKEY",), 403: ("ACCOUNT_DISABLED",), 429: ("RATE_LIMITED",)},
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
        errors={400: LINK_REFUSALS, 403: ("ACCOUNT_DISABLED",), 404: ("USER_NOT_FOUND",), 429: ("RATE_LIMITED",)},
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
        errors={400: ("VALIDATION_FAILED",), 401: ("INVALID_SIGN_IN_CODE",), 403: ("ACCOUNT_DISABLED",),
                404: ("USER_NOT_FOUND",),
                423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
        sample=Sample(body={"email": "ada@example.com", "code": "123456"}))),
    route("GET", "/v1/auth/providers", PUBLIC, function="ListProvidersFunction", operation=Operation(
        "The upstream identity providers that are on (Google, GitHub, an OpenID provider), for the sign-in "
        "page's buttons", federation.ProviderListView)),
    route("GET", "/v1/auth/oauth/{provider}/start", PUBLIC, function="OAuthStartFunction", rate_limit="login",
          operation=Operation(
        "Sign in with a provider: a redirect to it (state bound to this browser by a cookie, nonce, PKCE S256)",
        None, 302, query=federation.StartQuery, answers=Answers.REDIRECT, errors={404: ("PROVIDER_NOT_FOUND",)},
        sample=Sample(path={"provider": "oidc"}, query={"returnTo": "/settings"}))),
    route("GET", "/v1/auth/oauth/{provider}/callback", PUBLIC, function="OAuthCallbackFunction", rate_limit="login",
          operation=Operation(
        "The provider's redirect back: the state, code and ID token checked, the person signed in (the refresh "
        "cookie set) and sent to `returnTo` on the dashboard, or to its sign-in page with `?error=<code>`",
        None, 302, query=federation.CallbackQuery, answers=Answers.REDIRECT, errors={404: ("PROVIDER_NOT_FOUND",)},
        sample=Sample(path={"provider": "oidc"}, query={"state": "<state>", "code": "<code>"}))),
    route("GET", "/v1/auth/identities", USER, function="ListIdentitiesFunction", operation=Operation(
        "The provider identities linked to the user, oldest first", federation.IdentityListView,
        errors={404: ("USER_NOT_FOUND",)})),
    route("POST", "/v1/auth/identities/{id}/link", USER, function="LinkIdentityFunction", step_up=True,
          operation=Operation(
        "Link a provider to the signed-in user: the provider's URL to send the browser to (the state bound to "
        "it by a cookie); it comes back to settings", federation.LinkStartedView,
        errors={403: ("REAUTHENTICATION_REQUIRED",), 404: ("PROVIDER_NOT_FOUND",)},
        sample=Sample(path={"id": "oidc"}))),
    route("DELETE", "/v1/auth/identities/{id}", USER, function="UnlinkIdentityFunction", step_up=True,
          operation=Operation(
        "Unlink one of the user's identities; never their last way to sign in", federation.IdentityRemovedView,
        errors={403: ("REAUTHENTICATION_REQUIRED",), 404: ("IDENTITY_NOT_FOUND", "USER_NOT_FOUND"),
                409: ("LAST_SIGN_IN_METHOD",)},
        sample=Sample(path={"id": "idn_0123456789abcdef01234567"}))),
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
    route("POST", "/v1/api-keys", USER, function="CreateApiKeyFunction", step_up=True, operation=Operation(
        "Create an API key; `key` is in this response only (write scopes: admins only)", api_keys.NewApiKeyView,
        201, api_keys.CreateApiKeyBody, idempotent=True,
        errors={400: ("INVALID_SCOPE", "INVALID_EXPIRY"),
                403: ("ADMIN_ONLY", "REAUTHENTICATION_REQUIRED", "ACCOUNT_DISABLED")},
        example={"name": "Production Integration", "scopes": ["organization:read"]})),
    route("GET", "/v1/api-keys", USER, function="ListApiKeysFunction", operation=Operation(
        "The organization's keys, never their secret", api_keys.ApiKeyListView)),
    route("DELETE", "/v1/api-keys/{id}", USER, function="RevokeApiKeyFunction", operation=Operation(
        "Revoke a key (another member's: admins only)", sessions.RevokedView,
        errors={403: ("ADMIN_ONLY",), 404: ("API_KEY_NOT_FOUND",)},
        sample=Sample(path={"id": "key_00000000000000000000dead"}))),
    route("GET", "/v1/organization", USER, API_KEY, function="GetOrganizationFunction", scope="organization:read",
          operation=Operation(
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
                            "type": "confidential", "scopes": ["organization:read"]}))),
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
    route("GET", "/.well-known/jwks.json", PUBLIC, function="JwksFunction", operation=Operation(
        "The public keys that verify access tokens (RFC 7517)", auth.JwksView, answers=Answers.DOCUMENT)),
    # The OAuth 2.1 / OpenID Connect provider's documents (docs/concepts/oauth.md).
    route("GET", "/.well-known/openid-configuration", PUBLIC, function="OAuthMetadataFunction", operation=Operation(
        "The OAuth authorization server's metadata (RFC 8414; OpenID Connect Discovery 1.0)",
        oauth.AuthorizationServerMetadataView, answers=Answers.DOCUMENT)),
    route("GET", "/.well-known/oauth-authorization-server", PUBLIC, function="OAuthMetadataFunction"),
    route("GET", "/.well-known/oauth-protected-resource", PUBLIC, function="ProtectedResourceMetadataFunction",
          operation=Operation("The API's protected-resource metadata (RFC 9728)", oauth.ProtectedResourceMetadataView,
                              answers=Answers.DOCUMENT)),
    route("GET", "/oauth2/authorize", PUBLIC, function="AuthorizeFunction", operation=Operation(
        "Start the authorization-code flow (PKCE S256): 302 to the hosted sign-in page, or OAuth's error "
        "(at the app's redirect URI once it is verified)", oauth.OAuthErrorView, 302,
        answers=Answers.OAUTH_REDIRECT, sample=Sample(query={
            "response_type": "code", "client_id": "app_00000000000000000000dead",
            "redirect_uri": "https://portal.example.com/callback", "scope": "openid email",
            "state": "af0ifjsldkj", "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method": "S256"}))),
    route("POST", "/oauth2/authorize/decision", USER, function="AuthorizeDecisionFunction", operation=Operation(
        "The hosted sign-in page's next step for an authorization request: sign in again, consent, or "
        "the app's redirect URI", oauth.AuthorizationDecisionView, body=oauth.AuthorizationDecisionBody,
        errors={404: ("AUTHORIZATION_REQUEST_NOT_FOUND",)},
        sample=Sample(body={"request": "Zm9yLWV4YW1wbGUtb25seS1ub3QtcmVhbA", "decision": "allow"}))),
    route("POST", "/oauth2/authorize/cancel", PUBLIC, function="CancelAuthorizationFunction", operation=Operation(
        "The hosted sign-in page gives an authorization request up: the app's redirect URI with `login_required` "
        "(`prompt=none` and no session in this browser) or `access_denied` (the user went back)",
        oauth.AuthorizationDecisionView, body=oauth.AuthorizationCancelBody,
        errors={404: ("AUTHORIZATION_REQUEST_NOT_FOUND",)},
        sample=Sample(body={"request": "Zm9yLWV4YW1wbGUtb25seS1ub3QtcmVhbA"}))),
    route("GET", "/oauth2/logout", PUBLIC, function="EndSessionFunction", operation=Operation(
        "An app signs its user out (RP-Initiated Logout): with a valid `id_token_hint` the sign-in it names and "
        "the hosted page's session end; back to a registered `post_logout_redirect_uri`, else to the hosted "
        "page", None, 302, query=oauth.EndSessionQuery, answers=Answers.REDIRECT, sample=Sample(query={
            "id_token_hint": "<id token>", "post_logout_redirect_uri": "https://portal.example.com/signed-out",
            "state": "af0ifjsldkj"}))),
    route("POST", "/oauth2/logout", PUBLIC, function="EndSessionFunction"),  # the same, as a form
    route("POST", "/oauth2/register", PUBLIC, function="RegisterClientFunction", rate_limit="register",
          operation=Operation(
        "Dynamic client registration (RFC 7591; off unless OAuthDynamicRegistration): a public client, PKCE "
        "only, consent always, a user's sign-in and read scopes at most", oauth.ClientRegistrationView, 201,
        oauth.ClientRegistrationBody, answers=Answers.OAUTH_JSON, errors={429: ("RATE_LIMITED",)},
        sample=Sample(body={"client_name": "Grading agent", "redirect_uris": ["http://127.0.0.1/callback"],
                            "scope": "openid email organization:read"}))),
    route("POST", "/oauth2/token", PUBLIC, function="OAuthTokenFunction", operation=Operation(
        "Redeem an authorization code (with its PKCE verifier) for an access token and, with `openid`, an "
        "ID token; with `resource` (RFC 8707), an RS256 access token for your own API "
        "(application/x-www-form-urlencoded; OAuth's answer and errors)", oauth.TokenView,
        answers=Answers.OAUTH_FORM)),
    route("POST", "/oauth2/revoke", PUBLIC, function="OAuthRevokeFunction", operation=Operation(
        "Revoke an app's access or refresh token (RFC 7009): the sign-in's session ends; 200 for an unknown "
        "token too (application/x-www-form-urlencoded)", oauth.RevokedTokenView, answers=Answers.OAUTH_FORM)),
    route("POST", "/oauth2/introspect", PUBLIC, function="OAuthIntrospectFunction", operation=Operation(
        "Whether an access token of the app's organization is live (RFC 7662; confidential apps; "
        "application/x-www-form-urlencoded)", oauth.IntrospectionView, answers=Answers.OAUTH_FORM)),
    route("GET", "/oauth2/userinfo", USER, function="OAuthUserInfoFunction", operation=Operation(
        "The signed-in user's claims, as the access token's scope allows (OpenID Connect)", oauth.UserInfoView,
        answers=Answers.DOCUMENT, errors={403: ("INSUFFICIENT_SCOPE",)})),
    route("POST", "/oauth2/userinfo", USER, function="OAuthUserInfoFunction"),  # OpenID Connect Core 5.3.1: both
    route("GET", "/openapi.json", PUBLIC, function="OpenApiFunction", operation=Operation(
        "This document", None)),
    # The admin API: the service's operators, AWS IAM principals (SigV4, API Gateway's AWS_IAM), never a
    # Latchkey token or key. Each change is audited with the IAM principal as its actor.
    route("POST", "/v1/admin/users", OPERATOR, function="AdminCreateUserFunction", operation=Operation(
        "Create a user: in an organization of their own (its admin), or in an existing one with a role",
        admin.AdminUserView, 201, admin.CreateUserBody,
        errors={400: ("PASSWORD_TOO_COMMON",), 404: ("ORGANIZATION_NOT_FOUND",), 409: ("EMAIL_TAKEN",)},
        sample=Sample(body={"email": "grace@example.com", "name": "Grace Hopper", "password": PASSWORD,
                            "emailVerified": True}))),
    route("GET", "/v1/admin/users", OPERATOR, function="AdminFindUserFunction", operation=Operation(
        "The user with this address (`?email=`, any case)", admin.AdminUserView, query=admin.FindUserQuery,
        errors={404: ("USER_NOT_FOUND",)}, sample=Sample(query={"email": "ada@example.com"}))),
    route("GET", "/v1/admin/users/{id}", OPERATOR, function="AdminGetUserFunction", operation=Operation(
        "One user", admin.AdminUserView, errors={404: ("USER_NOT_FOUND",)},
        sample=Sample(path={"id": "user_00000000000000000000beef"}))),
    route("POST", "/v1/admin/users/{id}/disable", OPERATOR, function="AdminDisableUserFunction", operation=Operation(
        "Disable a user: no sign-in or refresh; their sessions and the API keys they created stop now",
        admin.EndedView, errors={404: ("USER_NOT_FOUND",)},
        sample=Sample(path={"id": "user_00000000000000000000beef"}))),
    route("POST", "/v1/admin/users/{id}/enable", OPERATOR, function="AdminEnableUserFunction", operation=Operation(
        "Enable a disabled user again (what ended stays ended)", admin.AdminUserView,
        errors={404: ("USER_NOT_FOUND",)}, sample=Sample(path={"id": "user_00000000000000000000beef"}))),
    route("POST", "/v1/admin/users/{id}/sign-out", OPERATOR, function="AdminSignOutUserFunction",
          operation=Operation(
        "Sign a user out everywhere: every session, and the API keys they created", admin.EndedView,
        errors={404: ("USER_NOT_FOUND",)}, sample=Sample(path={"id": "user_00000000000000000000beef"}))),
    route("DELETE", "/v1/admin/users/{id}", OPERATOR, function="AdminDeleteUserFunction", operation=Operation(
        "Delete a user as their own delete-account would: credentials, sessions, two-factor data and keys",
        recovery.AccountDeletedView, errors={404: ("USER_NOT_FOUND",), 409: ("SOLE_ADMIN",)},
        sample=Sample(path={"id": "user_00000000000000000000beef"}))),
    route("POST", "/v1/admin/imports", OPERATOR, function="AdminImportUsersFunction", operation=Operation(
        "Import users with their password hashes (bcrypt, argon2, scrypt, Firebase scrypt, PBKDF2-SHA256): JSON "
        "Lines in the body (`application/x-ndjson`, up to 200 a request), the job done; or this JSON body, a file "
        "of any size in the imports bucket, the job queued for the import worker. Idempotent by email",
        admin.ImportJobView, 202, admin.ImportFromS3Body,
        errors={400: ("VALIDATION_FAILED",), 413: ("PAYLOAD_TOO_LARGE",), 503: ("SERVICE_UNAVAILABLE",)},
        sample=Sample(body={"source": {"bucket": "latchkey-dev-imports-123456789012-us-east-1",
                                       "key": "imports/users.jsonl"}}))),
    route("GET", "/v1/admin/imports/{id}", OPERATOR, function="AdminGetImportFunction", operation=Operation(
        "An import's status, counts and refused lines", admin.ImportJobView, errors={404: ("IMPORT_NOT_FOUND",)},
        sample=Sample(path={"id": "imp_00000000000000000000beef"}))),
    route("POST", "/v1/admin/exports", OPERATOR, function="AdminExportUsersFunction", operation=Operation(
        "Export every user in the import's format; TOTP secrets only sealed to `recipientPublicKey` (JWE "
        "ECDH-ES + A256GCM)", admin.ExportJobView, 202, admin.ExportBody, sample=Sample(body={}))),
    route("GET", "/v1/admin/exports/{id}", OPERATOR, function="AdminGetExportFunction", operation=Operation(
        "An export and a 15-minute download URL of its JSON Lines", admin.ExportDownloadView,
        errors={404: ("EXPORT_NOT_FOUND",)}, sample=Sample(path={"id": "exp_00000000000000000000beef"}))),
)


def _yours(endpoint: Endpoint) -> Route:
    return route(endpoint.method, endpoint.path, *endpoint.callers, function=endpoint.logical_id, scope=endpoint.scope,
                 step_up=endpoint.step_up, role=endpoint.role, operation=Operation(
                     endpoint.summary, endpoint.view, endpoint.status, endpoint.body, errors=endpoint.errors))


# The modules' routes (examples/), then your own endpoints' (api/endpoints/), after Latchkey's.
ROUTES += tuple(r for module in MODULES for r in module.routes)
ROUTES += tuple(_yours(endpoint) for endpoint in ENDPOINTS)


def operation(function: str) -> Operation:
    """The operation of `function` (a logical id): given on its first route."""
    return next(r.operation for r in ROUTES if r.function == function and r.operation is not None)
