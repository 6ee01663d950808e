"""What the template and the route map cannot say about each function: its models, its success
status, the refusals its use case can make, and the walk-through's example body. Keyed by the function's
folder (`functions/<name>/`); a test holds this table equal to the template's functions."""

from __future__ import annotations

from dataclasses import dataclass, field

from latchkey.edge.schemas import (
    api_keys,
    assessments,
    audit,
    auth,
    candidates,
    organizations,
    passkeys,
    passwordless,
    recovery,
    sessions,
    teams,
    two_factor,
)
from latchkey.edge.schemas.base import PageQuery

# Refusals of the token rules (rules/tokens.py) wherever a token arrives in a body or a path.
TOKEN_REFUSALS = ("INVALID_TOKEN", "TOKEN_EXPIRED", "WRONG_STAGE", "WRONG_TOKEN_TYPE")
# Refusals of a one-time token from an email (rules/one_time_tokens.py).
LINK_REFUSALS = ("INVALID_ONE_TIME_TOKEN", "ONE_TIME_TOKEN_EXPIRED", "ONE_TIME_TOKEN_USED", "WRONG_TOKEN_PURPOSE")
PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Operation:
    summary: str
    view: type | None  # the model of `data` (or, not enveloped, of the answer); None: the document itself
    status: int = 200
    body: type | None = None
    query: type | None = None
    errors: dict[int, tuple[str, ...]] = field(default_factory=dict)  # beyond what the route's kind implies
    example: dict | None = None  # the docs walk-through's request body
    cookie_mode: bool = False  # honours `X-Token-Transport: cookie` (latchkey.edge.refresh_cookie)
    idempotent: bool = False  # honours `Idempotency-Key` (latchkey.edge.http.idempotent)
    enveloped: bool = True  # False: a standards document (`latchkey.edge.http.document`), as it is


OPERATIONS: dict[str, Operation] = {
    "register": Operation(
        "Create a user and the organization they administer; signed in", auth.SignedInAnswer, 201,
        auth.RegisterBody, cookie_mode=True,
        errors={400: ("VALIDATION_FAILED", "PASSWORD_TOO_COMMON"), 409: ("EMAIL_TAKEN",), 429: ("RATE_LIMITED",)},
        example={"email": "ada@example.com", "password": "correct horse battery staple", "name": "Ada",
                 "organizationName": "Engines"}),
    "login": Operation(
        "Sign in with email and password: tokens, or a pending token when two-factor sign-in is on",
        auth.LoginAnswer, body=auth.LoginBody, cookie_mode=True,
        errors={400: ("VALIDATION_FAILED",), 401: ("INVALID_CREDENTIALS",), 423: ("ACCOUNT_LOCKED",),
                429: ("RATE_LIMITED",)},  # 429 also: too many attempts at this email from this address
        example={"email": "ada@example.com", "password": "correct horse battery staple"}),
    "verify_2fa": Operation(
        "The pending token and a TOTP or recovery code: exactly login's answer", auth.SignedInAnswer,
        body=auth.VerifyTwoFactorBody, cookie_mode=True,
        errors={400: ("SECOND_FACTOR_REQUIRED",),
                401: (*TOKEN_REFUSALS, "INVALID_2FA_CODE", "INVALID_PASSKEY", "PENDING_TOKEN_USED",
                      "PENDING_TOKEN_EXHAUSTED", "PENDING_TOKEN_REVOKED"),
                404: ("USER_NOT_FOUND",), 423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
        example={"pendingToken": "eyJ…", "code": "654321"}),
    "refresh": Operation(
        "Rotate a refresh token into a new access + refresh pair; the one sent is spent", auth.TokensAnswer,
        body=auth.RefreshBody, cookie_mode=True,
        errors={401: ("NO_REFRESH_TOKEN", *TOKEN_REFUSALS, "SESSION_REVOKED", "REFRESH_TOKEN_REUSED",
                      "REFRESH_TOKEN_EXPIRED"), 429: ("RATE_LIMITED",)}),
    "setup_2fa": Operation(
        "A new TOTP secret, not active until enabled", two_factor.TwoFactorSetupView,
        errors={403: ("REAUTHENTICATION_REQUIRED",), 404: ("USER_NOT_FOUND",), 409: ("TWO_FACTOR_ALREADY_ENABLED",)}),
    "enable_2fa": Operation(
        "Confirm the new secret with the password and a code: ten recovery codes, shown once",
        two_factor.TwoFactorEnabledView, body=two_factor.EnableTwoFactorBody,
        errors={403: ("INVALID_PASSWORD", "INVALID_2FA_CODE", "REAUTHENTICATION_REQUIRED"), 404: ("USER_NOT_FOUND",),
                409: ("TWO_FACTOR_ALREADY_ENABLED", "TWO_FACTOR_NOT_SET_UP", "TWO_FACTOR_SETUP_CHANGED"),
                423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
        example={"password": PASSWORD, "code": "123456"}),
    "disable_2fa": Operation(
        "Turn two-factor sign-in off with the password and a code", two_factor.TwoFactorDisabledView,
        body=two_factor.DisableTwoFactorBody,
        errors={403: ("INVALID_PASSWORD", "INVALID_2FA_CODE", "REAUTHENTICATION_REQUIRED"), 404: ("USER_NOT_FOUND",),
                409: ("TWO_FACTOR_NOT_ENABLED",), 423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
        example={"password": "correct horse battery staple", "code": "654321"}),
    "logout": Operation("End this session now", auth.LoggedOutView, cookie_mode=True),
    "logout_all": Operation("Sign out everywhere: every session, pending-2FA tokens, and the caller's keys if asked",
                            auth.LoggedOutEverywhereView, body=auth.LogoutAllBody, cookie_mode=True),
    "reauthenticate": Operation(
        "The password again (and a code with two-factor on): a fresh pair of this session, auth_time now",
        auth.TokensAnswer, body=auth.ReauthenticateBody, cookie_mode=True,
        errors={400: ("SECOND_FACTOR_REQUIRED",),
                403: ("INVALID_PASSWORD", "INVALID_2FA_CODE", "TWO_FACTOR_CODE_REQUIRED", "INVALID_PASSKEY"),
                404: ("USER_NOT_FOUND",), 423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
        example={"password": "correct horse battery staple"}),
    "passkey_register_options": Operation(
        "Creation options for a new passkey (WebAuthn Level 3 JSON), its challenge bound to this session",
        passkeys.PasskeyOptionsView, errors={403: ("REAUTHENTICATION_REQUIRED",), 404: ("USER_NOT_FOUND",)}),
    "register_passkey": Operation(
        "The new passkey's credential (`credential.toJSON()`) and a name: the passkey", passkeys.PasskeyView, 201,
        passkeys.RegisterPasskeyBody,
        errors={403: ("INVALID_PASSKEY", "REAUTHENTICATION_REQUIRED"), 404: ("USER_NOT_FOUND",),
                409: ("PASSKEY_ALREADY_REGISTERED",)}),
    "list_passkeys": Operation("The user's passkeys, oldest first", passkeys.PasskeyListView,
                               errors={404: ("USER_NOT_FOUND",)}),
    "rename_passkey": Operation("A new name for one of the user's passkeys", passkeys.PasskeyView,
                                body=passkeys.RenamePasskeyBody, errors={404: ("PASSKEY_NOT_FOUND",)}),
    "delete_passkey": Operation("Remove one of the user's passkeys", passkeys.PasskeyRemovedView,
                                errors={403: ("REAUTHENTICATION_REQUIRED",),
                                        404: ("PASSKEY_NOT_FOUND", "USER_NOT_FOUND")}),
    "passkey_login_options": Operation(
        "Request options for a passkey: `{}` to sign in without a password, `{\"pendingToken\"}` for the second "
        "factor, a Bearer token for the step-up", passkeys.PasskeyOptionsView, body=passkeys.PasskeyLoginOptionsBody,
        errors={401: (*TOKEN_REFUSALS, "SESSION_REVOKED"), 404: ("USER_NOT_FOUND",), 429: ("RATE_LIMITED",)}),
    "passkey_login": Operation(
        "Sign in with a passkey alone (user verification counts as two factors): exactly login's answer",
        auth.SignedInAnswer, body=passkeys.PasskeyLoginBody, cookie_mode=True,
        errors={401: ("INVALID_PASSKEY",), 429: ("RATE_LIMITED",)}),
    "verify_email": Operation(
        "The token from a verification email (the address is verified) or one of an email change's two links "
        "(the account moves to the new address once both came back)", recovery.EmailVerifiedView,
        body=recovery.VerifyEmailBody,
        errors={400: LINK_REFUSALS, 409: ("EMAIL_TAKEN",)}, example={"token": "verify.user_….<secret>"}),
    "resend_verification": Operation(
        "A new verification link to the user's address (the older ones stop working)", recovery.AcceptedView, 202,
        errors={404: ("USER_NOT_FOUND",), 409: ("EMAIL_ALREADY_VERIFIED",)}),
    "forgot_password": Operation(
        "A reset link to the address's account, if any: the same answer for every address", recovery.AcceptedView,
        202, recovery.ForgotPasswordBody, errors={429: ("RATE_LIMITED",)}, example={"email": "ada@example.com"}),
    "magic_link": Operation(
        "A sign-in link to the address (or, with no account, a note that says so): the same answer for every "
        "address", recovery.AcceptedView, 202, passwordless.SignInEmailBody, errors={429: ("RATE_LIMITED",)}),
    "email_code": Operation(
        "A six-digit sign-in code to the address (or, with no account, a note that says so): the same answer for "
        "every address", recovery.AcceptedView, 202, passwordless.SignInEmailBody, errors={429: ("RATE_LIMITED",)}),
    "verify_magic_link": Operation(
        "The token from a sign-in link: exactly login's answer (the address is verified)", auth.LoginAnswer,
        body=passwordless.VerifyMagicLinkBody, cookie_mode=True,
        errors={400: LINK_REFUSALS, 404: ("USER_NOT_FOUND",), 429: ("RATE_LIMITED",)}),
    "verify_email_code": Operation(
        "The address and the code sent to it: exactly login's answer (the address is verified)", auth.LoginAnswer,
        body=passwordless.VerifyEmailCodeBody, cookie_mode=True,
        errors={400: ("VALIDATION_FAILED",), 401: ("INVALID_SIGN_IN_CODE",), 404: ("USER_NOT_FOUND",),
                423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)}),
    "reset_password": Operation(
        "A new password with a reset token (and a code with two-factor on); every session ends, no tokens",
        recovery.PasswordChangedView, body=recovery.ResetPasswordBody,
        errors={400: (*LINK_REFUSALS, "PASSWORD_TOO_COMMON"), 401: ("TWO_FACTOR_REQUIRED",)},
        example={"token": "reset.user_….<secret>", "password": "a new long passphrase"}),
    "change_password": Operation(
        "A new password (the current one again); every other session ends", recovery.PasswordChangedView,
        body=recovery.ChangePasswordBody,
        errors={400: ("PASSWORD_TOO_COMMON",), 403: ("INVALID_PASSWORD", "REAUTHENTICATION_REQUIRED"),
                404: ("USER_NOT_FOUND",), 423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
        example={"currentPassword": "a new long passphrase", "newPassword": PASSWORD}),
    "change_email": Operation(
        "A confirmation link to a new address and an approve-or-cancel link to the current one; the account "
        "moves once both came back",
        recovery.EmailChangePendingView, 202, recovery.ChangeEmailBody,
        errors={400: ("SAME_EMAIL",), 403: ("INVALID_PASSWORD", "REAUTHENTICATION_REQUIRED"),
                404: ("USER_NOT_FOUND",), 409: ("EMAIL_TAKEN",), 423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
        example={"password": PASSWORD, "newEmail": "ada.lovelace@example.com"}),
    "cancel_email_change": Operation(
        "The link mailed to the current address cancels a pending email change", recovery.EmailChangeCancelledView,
        body=recovery.VerifyEmailBody, errors={400: LINK_REFUSALS}),
    "delete_account": Operation(
        "Delete the account: credentials, sessions, two-factor data and the user's keys at once",
        recovery.AccountDeletedView, body=recovery.DeleteAccountBody,
        errors={403: ("INVALID_PASSWORD", "INVALID_2FA_CODE", "TWO_FACTOR_CODE_REQUIRED", "REAUTHENTICATION_REQUIRED"),
                404: ("USER_NOT_FOUND",), 409: ("SOLE_ADMIN",), 423: ("ACCOUNT_LOCKED",), 429: ("RATE_LIMITED",)},
        example={"password": PASSWORD}),
    "list_sessions": Operation("The user's live sessions, the current one marked", sessions.SessionListView),
    "revoke_session": Operation("End one of the user's own sessions", sessions.RevokedView,
                                errors={404: ("SESSION_NOT_FOUND",)}),
    "me": Operation("The signed-in user (and the address an email change waits on)", auth.MeView,
                    errors={404: ("USER_NOT_FOUND",)}),
    "list_assessments": Operation("The organization's assessments, oldest first, paged",
                                  assessments.AssessmentPageView, query=PageQuery),
    "create_assessment": Operation(
        "Create an assessment", assessments.AssessmentView, 201, assessments.CreateAssessmentBody, idempotent=True,
        example={"title": "Backend screen", "description": "Python"}),
    "get_public_assessment": Operation("One of the organization's assessments", assessments.AssessmentView,
                                       errors={404: ("ASSESSMENT_NOT_FOUND",)}),
    "create_api_key": Operation(
        "Create an API key; `key` is in this response only (write scopes: admins only)", api_keys.NewApiKeyView,
        201, api_keys.CreateApiKeyBody, idempotent=True,
        errors={400: ("INVALID_SCOPE", "INVALID_EXPIRY"), 403: ("ADMIN_ONLY", "REAUTHENTICATION_REQUIRED")},
        example={"name": "Production Integration",
                 "scopes": ["assessments:read", "candidates:read", "candidates:write", "results:read"]}),
    "list_audit_events": Operation(
        "The audit trail, newest first, paged: an admin's organization, a member's own events",
        audit.AuditEventPageView, query=audit.AuditEventPageQuery, errors={403: ("ADMIN_ONLY",)}),
    "list_api_keys": Operation("The organization's keys, never their secret", api_keys.ApiKeyListView),
    "revoke_api_key": Operation("Revoke a key (another member's: admins only)", sessions.RevokedView,
                                errors={403: ("ADMIN_ONLY",), 404: ("API_KEY_NOT_FOUND",)}),
    "get_organization": Operation("The organization and its resultRedirectUrl", organizations.OrganizationView,
                                  errors={404: ("ORGANIZATION_NOT_FOUND",)}),
    "update_organization": Operation(
        "Set (or, with null, clear) the result redirect URL", organizations.OrganizationView,
        body=organizations.UpdateOrganizationBody,
        errors={404: ("ORGANIZATION_NOT_FOUND",)},
        example={"resultRedirectUrl": "https://app.example.com/assessment-done?source=latchkey"}),
    "invite_candidate": Operation(
        "Invite a candidate to an assessment; the invitation token is in this response only",
        candidates.InvitedCandidateView, 201, candidates.InviteCandidateBody, idempotent=True,
        errors={400: ("INVALID_ASSESSMENT_ID",), 404: ("ASSESSMENT_NOT_FOUND",)},
        example={"assessmentId": "asm_…", "email": "grace@example.com", "name": "Grace Hopper"}),
    "list_candidates": Operation("The organization's candidates, oldest first, paged; never their token",
                                 candidates.CandidatePageView, query=candidates.CandidatePageQuery,
                                 errors={400: ("INVALID_ASSESSMENT_ID",)}),
    "get_candidate": Operation("One of the organization's candidates", candidates.CandidateView,
                               errors={404: ("CANDIDATE_NOT_FOUND",)}),
    "complete_assessment": Operation(
        "Record a candidate's answers, once: where to send them next", candidates.CompletionView,
        body=candidates.CompleteAssessmentBody,
        errors={400: ("ANSWERS_TOO_LARGE", "ANSWERS_TOO_DEEP"), 401: ("INVALID_INVITATION",),
                409: ("INVITATION_USED",)},
        example={"invitationToken": "cand_….<secret>", "answers": {"q1": "B"}}),
    "exchange_result": Operation(
        "Exchange a result token (15 minutes) for the full result", candidates.ResultView,
        errors={401: (*TOKEN_REFUSALS, "RESULT_TOKEN_EXPIRED"), 404: ("RESULT_NOT_FOUND",)}),
    "list_members": Operation("The organization's members, oldest first, paged", teams.MemberPageView,
                              query=PageQuery),
    "update_member": Operation(
        "Change a member's role, effective on their next request; the organization keeps an admin",
        teams.MemberView, body=teams.UpdateMemberBody, errors={404: ("MEMBER_NOT_FOUND",), 409: ("LAST_ADMIN",)}),
    "remove_member": Operation(
        "Remove a member: their sessions end and the API keys they created are revoked at once",
        teams.RemovedMemberView, errors={404: ("MEMBER_NOT_FOUND",), 409: ("LAST_ADMIN",)}),
    "end_member_sessions": Operation("End every session of a member", teams.SessionsEndedView,
                                     errors={404: ("MEMBER_NOT_FOUND",)}),
    "invite_member": Operation(
        "Invite an address to the organization with a role; the token goes to the invitee by email only",
        teams.InvitationView, 201, teams.InviteMemberBody, idempotent=True,
        errors={409: ("EMAIL_TAKEN",), 429: ("RATE_LIMITED",)},
        example={"email": "alan@example.com", "role": "MEMBER"}),
    "list_invitations": Operation("The organization's pending invitations, never their tokens",
                                  teams.InvitationListView),
    "revoke_invitation": Operation("Revoke a pending invitation", sessions.RevokedView,
                                   errors={404: ("INVITATION_NOT_FOUND",)}),
    "accept_invitation": Operation(
        "Accept an invitation with a name and a password: the new member, signed in (exactly login's body)",
        auth.SignedInView, 201, teams.AcceptInvitationBody,
        errors={400: ("PASSWORD_TOO_COMMON",), 401: ("INVALID_INVITATION", "INVITATION_EXPIRED", "INVITATION_REVOKED"),
                404: ("ORGANIZATION_NOT_FOUND",), 409: ("INVITATION_USED", "EMAIL_TAKEN")},
        example={"token": "inv_….<secret>", "name": "Alan Turing", "password": "correct horse battery staple"}),
    "openapi": Operation("This document", None),
    "jwks": Operation("The public keys that verify access tokens (RFC 7517)", auth.JwksView, enveloped=False),
    # Not behind the API: the schedule's (and an operator's) key rotation.
    "rotate_signing_keys": Operation("One step of signing-key rotation", None),
    # Not behind the API: the mail queue's consumer.
    "send_mail": Operation("Send the queued emails", None),
}
