"""Every Lambda function of the stack, declared once: its folder (`functions/<folder>/app.py`), what
its Description adds to its routes, the layers, environment and sizes it needs beyond the template's
Globals, and its events other than API routes (a queue, a schedule). `python -m contract` writes
template.yaml's functions region from this, with each function's API events from api/routes.py and
its IAM statements from api/access.py. Dev-only: not deployed."""

from __future__ import annotations

from api.endpoints import ENDPOINTS
from api.function import AUTHORIZER, FALLBACK, Function  # noqa: F401 - re-exported
from api.iam import get_att, ref
from api.modules import MODULES

# The providers' public settings (template parameters), for the functions that name or reach them.
FEDERATION_ENVIRONMENT = {"GOOGLE_CLIENT_ID": ref("GoogleClientId"), "GITHUB_CLIENT_ID": ref("GithubClientId"),
                          "OIDC_ISSUER": ref("OidcIssuer"), "OIDC_CLIENT_ID": ref("OidcClientId"),
                          "OIDC_NAME": ref("OidcName")}

# Dynamic client registration (RFC 7591): whether it is on, and the organization its clients join.
DYNAMIC_REGISTRATION = {"OAUTH_DYNAMIC_REGISTRATION": ref("OAuthDynamicRegistration"),
                        "OAUTH_REGISTRATION_ORGANIZATION_ID": ref("OAuthRegistrationOrganizationId")}

# What deletes an account calls when its organization goes with it: each module's hook (api/module.py),
# with the module's layer.
_HOOKED_LAYERS = tuple(m.layer for m in MODULES if m.on_organization_deleted)
_HOOKS = {"ORGANIZATION_DELETED_HOOKS": ",".join(m.on_organization_deleted for m in MODULES
                                                 if m.on_organization_deleted)} if _HOOKED_LAYERS else {}

FUNCTIONS: tuple[Function, ...] = (
    Function(
        "AuthorizerFunction",
        "authorizer",
        "REQUEST authorizer for every non-public route (Bearer JWT, X-API-Key, Bearer pk_live_).",
        layers=("CryptoLayer",),
    ),
    Function(
        "RegisterFunction",
        "register",
        layers=("CryptoLayer",),
    ),
    Function(
        "LoginFunction",
        "login",
        layers=("CryptoLayer",),
    ),
    Function(
        "RefreshFunction",
        "refresh",
        "(rotation with reuse detection)",
        layers=("CryptoLayer",),
    ),
    Function("LogoutFunction", "logout", "(this session)"),
    Function("LogoutAllFunction", "logout_all", "(every session of the user; optionally the keys they created)"),
    Function("ListSessionsFunction", "list_sessions"),
    Function("RevokeSessionFunction", "revoke_session"),
    Function("MeFunction", "me"),
    Function(
        "SetupTwoFactorFunction",
        "setup_2fa",
        "(a new TOTP secret, not active until enabled)",
        layers=("CryptoLayer", "TwoFactorLayer"),
    ),
    Function(
        "EnableTwoFactorFunction",
        "enable_2fa",
        "(the password and a code; recovery codes shown once; ends other sessions)",
        layers=("CryptoLayer", "TwoFactorLayer"),
    ),
    Function(
        "DisableTwoFactorFunction",
        "disable_2fa",
        "(password and code; ends other sessions)",
        layers=("CryptoLayer", "TwoFactorLayer"),
    ),
    Function(
        "VerifyTwoFactorFunction",
        "verify_2fa",
        "(pending token + code -> the login body)",
        layers=("CryptoLayer", "TwoFactorLayer", "PasskeysLayer"),
    ),
    Function(
        "CreateApiKeyFunction",
        "create_api_key",
        "(signed-in users, recent authentication; the key is shown once; Idempotency-Key)",
    ),
    Function("ListApiKeysFunction", "list_api_keys", "(the organization's keys, never their secret)"),
    Function("RevokeApiKeyFunction", "revoke_api_key"),
    Function("GetOrganizationFunction", "get_organization"),
    Function(
        "ListAuditEventsFunction", "list_audit_events", "(admins their organization's, members their own; newest first)"
    ),
    Function(
        "UpdateOrganizationFunction",
        "update_organization",
        "(admins, recent sign-in; the result redirect URL, every admin told)",
    ),
    Function(
        "ReauthenticateFunction",
        "reauthenticate",
        "(step-up; password and, with two-factor on, a code)",
        layers=("CryptoLayer", "TwoFactorLayer", "PasskeysLayer"),
    ),
    Function(
        "PasskeyRegisterOptionsFunction",
        "passkey_register_options",
        "(step-up)",
        layers=("CryptoLayer", "PasskeysLayer"),
        comment="--- passkeys (WebAuthn) -----------------------------------------------------------------------",
    ),
    Function("RegisterPasskeyFunction", "register_passkey", "(step-up)", layers=("CryptoLayer", "PasskeysLayer")),
    Function("ListPasskeysFunction", "list_passkeys"),
    Function("RenamePasskeyFunction", "rename_passkey"),
    Function("DeletePasskeyFunction", "delete_passkey", "(step-up)"),
    Function(
        "PasskeyLoginOptionsFunction",
        "passkey_login_options",
        "(sign-in, second factor, or step-up with a Bearer token)",
        layers=("CryptoLayer", "PasskeysLayer"),
    ),
    Function(
        "PasskeyLoginFunction",
        "passkey_login",
        "(a passkey, no password -> the login body)",
        layers=("CryptoLayer", "PasskeysLayer"),
    ),
    Function(
        "ListMembersFunction",
        "list_members",
        "(any member)",
        comment="--- teams: members and invitations ----------------------------------------------------------",
    ),
    Function(
        "UpdateMemberFunction",
        "update_member",
        "(admins, recent sign-in; the role counts from the member's next request)",
    ),
    Function(
        "RemoveMemberFunction",
        "remove_member",
        "(admins, recent sign-in; ends their sessions, revokes their keys)",
    ),
    Function(
        "EndMemberSessionsFunction",
        "end_member_sessions",
        "(admins, recent sign-in)",
    ),
    Function(
        "InviteMemberFunction",
        "invite_member",
        "(admins, recent sign-in; the token goes by email only; Idempotency-Key)",
    ),
    Function("ListInvitationsFunction", "list_invitations", "(admins; never a token)"),
    Function(
        "RevokeInvitationFunction",
        "revoke_invitation",
        "(admins, recent sign-in)",
    ),
    Function("OAuthMetadataFunction", "oauth_metadata", "(RFC 8414; OpenID Connect Discovery)",
             layers=("OAuthLayer",), environment={"OAUTH_ISSUER_URL": ref("OAuthIssuerUrl"), **DYNAMIC_REGISTRATION}),
    Function("RegisterClientFunction", "register_client", "(RFC 7591; off unless OAuthDynamicRegistration)",
             environment=DYNAMIC_REGISTRATION),
    Function("ProtectedResourceMetadataFunction", "protected_resource_metadata", "(RFC 9728)",
             environment={"OAUTH_ISSUER_URL": ref("OAuthIssuerUrl")}),
    Function("AuthorizeFunction", "authorize", "(the code flow, PKCE S256; to the hosted sign-in page)",
             layers=("OAuthLayer",),
             environment={"OAUTH_ISSUER_URL": ref("OAuthIssuerUrl"), "APP_BASE_URL": ref("AppBaseUrl")}),
    Function("AuthorizeDecisionFunction", "authorize_decision", "(the hosted page: sign in again, consent, or go)",
             layers=("OAuthLayer",), environment={"OAUTH_ISSUER_URL": ref("OAuthIssuerUrl")}),
    Function("CancelAuthorizationFunction", "authorize_cancel",
             "(the hosted page without a session: login_required for prompt=none, else access_denied)",
             layers=("OAuthLayer",), environment={"OAUTH_ISSUER_URL": ref("OAuthIssuerUrl")}),
    Function("EndSessionFunction", "end_session", "(RP-initiated logout: the app's sign-in and the hosted page's)",
             layers=("CryptoLayer", "OAuthLayer"),
             environment={"OAUTH_ISSUER_URL": ref("OAuthIssuerUrl"), "APP_BASE_URL": ref("AppBaseUrl")}),
    Function("OAuthTokenFunction", "oauth_token", "(authorization_code: a session, an ID token RS256)",
             layers=("CryptoLayer", "OAuthLayer"), environment={"OAUTH_ISSUER_URL": ref("OAuthIssuerUrl"),
                                                               "GATEWAY_JWT_AUDIENCES": ref("GatewayJwtAudiences")}),
    Function("OAuthRevokeFunction", "oauth_revoke", "(RFC 7009: the sign-in's session ends)",
             layers=("CryptoLayer", "OAuthLayer"), environment={"OAUTH_ISSUER_URL": ref("OAuthIssuerUrl")}),
    Function("OAuthIntrospectFunction", "oauth_introspect", "(RFC 7662: confidential apps)",
             layers=("CryptoLayer", "OAuthLayer"), environment={"OAUTH_ISSUER_URL": ref("OAuthIssuerUrl")}),
    Function("OAuthUserInfoFunction", "oauth_userinfo", "(OpenID Connect's claims, by the token's scope)"),
    Function("CreateAppFunction", "create_app", "(admins, recent sign-in; a confidential app's secret shown once)"),
    Function("ListAppsFunction", "list_apps", "(never a secret)"),
    Function("UpdateAppFunction", "update_app", "(admins, recent sign-in)"),
    Function("DeleteAppFunction", "delete_app", "(admins, recent sign-in)"),
    Function("RotateAppSecretFunction", "rotate_app_secret", "(admins, recent sign-in; the new secret shown once)"),
    Function(
        "AcceptInvitationFunction",
        "accept_invitation",
        "(the invitation's token is the credential; exactly login's body)",
        layers=("CryptoLayer",),
    ),
    Function("VerifyEmailFunction", "verify_email", "(a verification or email-change token)"),
    Function("ResendVerificationFunction", "resend_verification", "(a new verification link)"),
    Function(
        "ForgotPasswordFunction",
        "forgot_password",
        "(queues a reset link; the same work for every address)",
        comment="It reads no account: the mailer looks the address up (latchkey.usecases.recovery).",
    ),
    Function(
        "MagicLinkFunction",
        "magic_link",
        "(queues a sign-in link; the same work for every address)",
        comment="It reads no account: the mailer looks the address up (latchkey.usecases.passwordless).",
    ),
    Function(
        "VerifyMagicLinkFunction",
        "verify_magic_link",
        "(a sign-in link's token; login's answer)",
        layers=("CryptoLayer",),
    ),
    Function(
        "EmailCodeFunction",
        "email_code",
        "(queues a sign-in code; the same work for every address)",
        comment="It reads no account: the mailer looks the address up (latchkey.usecases.passwordless).",
    ),
    Function(
        "VerifyEmailCodeFunction",
        "verify_email_code",
        "(an address and its sign-in code; login's answer)",
        layers=("CryptoLayer",),
    ),
    Function("ListProvidersFunction", "list_providers", environment=FEDERATION_ENVIRONMENT,
             comment="--- federation (upstream identity providers) ------------------------------------------------"),
    Function("OAuthStartFunction", "oauth_start", "(a redirect to the provider)",
             layers=("CryptoLayer", "FederationLayer"), environment=FEDERATION_ENVIRONMENT),
    Function("OAuthCallbackFunction", "oauth_callback", "(signed in, then a redirect to the dashboard)",
             layers=("CryptoLayer", "FederationLayer"), environment=FEDERATION_ENVIRONMENT),
    Function("ListIdentitiesFunction", "list_identities"),
    Function("LinkIdentityFunction", "link_identity", "(step-up; the provider's URL)",
             layers=("CryptoLayer", "FederationLayer"), environment=FEDERATION_ENVIRONMENT),
    Function("UnlinkIdentityFunction", "unlink_identity", "(step-up; never the last way to sign in)",
             environment=FEDERATION_ENVIRONMENT),
    Function(
        "ResetPasswordFunction",
        "reset_password",
        "(reset token, new password, code when two-factor is on)",
        layers=("CryptoLayer", "TwoFactorLayer"),
    ),
    Function(
        "ChangePasswordFunction",
        "change_password",
        "(recent sign-in; ends the other sessions)",
        layers=("CryptoLayer", "TwoFactorLayer"),
    ),
    Function(
        "ChangeEmailFunction",
        "change_email",
        "(recent sign-in; a confirmation link to the new address)",
        layers=("CryptoLayer", "TwoFactorLayer"),
    ),
    Function("CancelEmailChangeFunction", "cancel_email_change", "(the link mailed to the current address)"),
    Function(
        "DeleteAccountFunction",
        "delete_account",
        "(recent sign-in; password and code again)",
        layers=("CryptoLayer", "TwoFactorLayer", *_HOOKED_LAYERS),
        environment=_HOOKS,
    ),
    Function(
        "JwksFunction",
        "jwks",
        "(public, cacheable; the keys that verify access tokens)",
        layers=("CryptoLayer",),
    ),
    Function(
        "RotateSigningKeysFunction",
        "rotate_signing_keys",
        'Signing key rotation with overlap (scheduled daily; invoke with {"force":true} to rotate now)',
        layers=("CryptoLayer",),
        environment={
            "SIGNING_KEY_ROTATION_DAYS": ref("SigningKeyRotationDays"),
        },
        timeout=30,
        events={"Daily": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 day)"}}},
        comment=(
            "One step of key rotation per run (idempotent): daily on its schedule, or by hand with "
            '{"force": true} to start a rotation now. The only function that can write every key set.'
        ),
        sample_event={
            "version": "0",
            "id": "7bf73129-1428-4cd3-a780-95db273d1602",
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": "123456789012",
            "time": "2026-12-01T03:00:00Z",
            "region": "us-east-1",
            "resources": ["arn:aws:events:us-east-1:123456789012:rule/latchkey-dev-rotate-signing-keys"],
            "detail": {},
        },
    ),
    Function(
        "SendMailFunction",
        "send_mail",
        "Sends the queued emails through SES v2 (SQS event source; failures retried, then dead-lettered)",
        environment={
            "APP_BASE_URL": ref("AppBaseUrl"),
        },
        timeout=30,
        events={
            "Queue": {
                "Type": "SQS",
                "Properties": {
                    "Queue": get_att("MailQueue"),
                    "BatchSize": 10,
                    "FunctionResponseTypes": ["ReportBatchItemFailures"],
                },
            }
        },
        comment=(
            "The mailer: SQS batches from MailQueue, each message rendered from its template and sent through "
            "SES v2 as raw MIME (text and HTML parts). Only it can send mail, and only as MailFromAddress."
        ),
        sample_event={
            "Records": [
                {
                    "messageId": "0d5a3c4e-1f2b-4c6d-9e8f-7a6b5c4d3e2f",
                    "receiptHandle": "AQEB-sample-receipt-handle",
                    "body": '{"template":"account.verify-email","to":"new.user@example.com","locale":"en",'
                    '"values":{"name":"New User","token":"sample-token"}}',
                    "attributes": {
                        "ApproximateReceiveCount": "1",
                        "SentTimestamp": "1795435200000",
                        "SenderId": "AROAEXAMPLE",
                        "ApproximateFirstReceiveTimestamp": "1795435200001",
                    },
                    "messageAttributes": {},
                    "md5OfBody": "0123456789abcdef0123456789abcdef",
                    "eventSource": "aws:sqs",
                    "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:latchkey-dev-mail",
                    "awsRegion": "us-east-1",
                }
            ]
        },
    ),
    Function("OpenApiFunction", "openapi", "(the generated OpenAPI document; no AWS access)", memory=128),
    Function(
        "FallbackFunction",
        "fallback",
        "404 / 405 in the service's error envelope",
        comment=(
            "Answers what no route does: 404 for an unknown path, 405 (with Allow) for a known path and a "
            "method it does not serve. API Gateway prefers a resource's own method over ANY, and any concrete "
            "resource over the greedy /{proxy+}, so these events only ever see the leftovers."
        ),
    ),
    Function("AdminCreateUserFunction", "admin_create_user", "(operators: AWS IAM)"),
    Function("AdminFindUserFunction", "admin_find_user", "(operators: AWS IAM)"),
    Function("AdminGetUserFunction", "admin_get_user", "(operators: AWS IAM)"),
    Function("AdminDisableUserFunction", "admin_disable_user", "(operators: AWS IAM; ends sessions, revokes keys)"),
    Function("AdminEnableUserFunction", "admin_enable_user", "(operators: AWS IAM)"),
    Function("AdminSignOutUserFunction", "admin_sign_out_user", "(operators: AWS IAM)"),
    Function("AdminImportUsersFunction", "admin_import_users",
             "(operators: AWS IAM; up to 200 users a request, or a file in the imports bucket for the worker)",
             layers=("CryptoLayer", "TwoFactorLayer"), timeout=29),
    Function("AdminGetImportFunction", "admin_get_import", "(operators: AWS IAM)"),
    Function(
        "AdminImportWorkerFunction",
        "admin_import_worker",
        "Imports the users of a JSON Lines file in the imports bucket, in chunks, from the job's last checkpoint "
        "(SQS event source; it sends itself the job again when its time is nearly up)",
        layers=("CryptoLayer", "TwoFactorLayer"),
        timeout=300,
        events={"Queue": {"Type": "SQS", "Properties": {"Queue": get_att("ImportQueue"), "BatchSize": 1}}},
        comment=(
            "The import worker: an import from an S3 object (POST /v1/admin/imports with a source), a chunk of "
            "lines at a time; each user is created in one transaction with the job's checkpoint, so a worker "
            "that dies goes on where it stopped and the counts stay exact."
        ),
        sample_event={"Records": [{
            "messageId": "5b1f0c2e-3d4a-4b6c-8e9f-1a2b3c4d5e6f",
            "receiptHandle": "AQEB-sample-receipt-handle",
            "body": '{"jobId":"imp_00000000000000000000beef"}',
            "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1795435200000",
                           "SenderId": "AROAEXAMPLE", "ApproximateFirstReceiveTimestamp": "1795435200001"},
            "messageAttributes": {},
            "md5OfBody": "0123456789abcdef0123456789abcdef",
            "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:latchkey-dev-imports",
            "awsRegion": "us-east-1",
        }]},
    ),
    Function("AdminExportUsersFunction", "admin_export_users", "(operators: AWS IAM; every user, one file)",
             layers=("CryptoLayer", "TwoFactorLayer"), timeout=29),
    Function("AdminGetExportFunction", "admin_get_export", "(operators: AWS IAM; a presigned URL)"),
    Function("AdminDeleteUserFunction", "admin_delete_user", "(operators: AWS IAM)",
             layers=("CryptoLayer", "TwoFactorLayer", *_HOOKED_LAYERS), environment=_HOOKS),
)


# The modules' functions (examples/<name>/functions/, with the module's layer).
FUNCTIONS += tuple(f for module in MODULES for f in module.functions)
# Your own endpoints' functions (api/endpoints/): the Globals' layer, environment and sizes.
FUNCTIONS += tuple(Function(endpoint.logical_id, endpoint.name) for endpoint in ENDPOINTS)


def by_id() -> dict[str, Function]:
    return {f.logical_id: f for f in FUNCTIONS}
