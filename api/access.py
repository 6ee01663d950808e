"""Which function may do what: each function's NAMED ACCESS RIGHTS (the tables' in api/tables.py, the
secrets', the mail queue's and SES's here), from which its IAM statements (`policies`) and the
environment variables that exist only because of a right (`environment`, e.g. the ARN of a signing-key
secret it reads) are derived. The template's functions are rendered from these."""

from __future__ import annotations

from dataclasses import replace

from api.endpoints import ENDPOINTS
from api.iam import Statement, get_att, ref
from api.key_set import KeySet
from api.modules import MODULES
from api.tables import (
    ACCOUNTS,
    API_KEYS,
    APPS,
    AUDIT,
    IDEMPOTENCY,
    INVITATIONS,
    OAUTH_GRANTS,
    RATE_LIMITS,
    SESSIONS,
    Right,
    Rights,
    right,
)

_GET = "secretsmanager:GetSecretValue"

ACCESS_KEYS = KeySet("ACCESS", "AccessTokenSigningKeys", "AccessTokenPublicKeys")
REFRESH_KEYS = KeySet("REFRESH", "RefreshTokenSigningKeys", None)
PENDING_KEYS = KeySet("PENDING_2FA", "PendingTokenSigningKeys", "PendingTokenPublicKeys")
ID_KEYS = KeySet("ID", "IdTokenSigningKeys", "IdTokenPublicKeys", algorithm="RS256")  # OpenID Connect ID tokens
# Access tokens for your own API (an audience of GatewayJwtAudiences), verified at its gateway: API
# Gateway's HTTP API JWT authorizer takes RSA keys only.
GATEWAY_KEYS = KeySet("GATEWAY", "GatewayTokenSigningKeys", "GatewayTokenPublicKeys", algorithm="RS256")
# Every purpose's sets, the modules' too: the rotation function rotates them all.
KEY_SETS = (ACCESS_KEYS, REFRESH_KEYS, PENDING_KEYS, ID_KEYS, GATEWAY_KEYS,
            *(k for module in MODULES for k in module.key_sets))


class KEYS(Rights):
    """The token signing keys: one private and one public set per purpose (template.yaml, "secrets")."""

    sign_access = ACCESS_KEYS.sign("It mints access tokens.")
    sign_refresh = REFRESH_KEYS.sign("It mints refresh tokens (it starts or rotates sessions).")
    sign_pending = PENDING_KEYS.sign("It mints pending two-factor tokens (a first factor that may answer requires2FA).")
    publish_access = ACCESS_KEYS.publish()
    publish_pending = PENDING_KEYS.publish()
    verify_access = ACCESS_KEYS.verify("Public keys only: it verifies access tokens and can mint none.")
    verify_pending = PENDING_KEYS.verify("Public keys only: it verifies pending two-factor tokens.")
    sign_id = ID_KEYS.sign("It mints OpenID Connect ID tokens (RS256).")
    publish_id = ID_KEYS.publish()
    verify_id = ID_KEYS.verify("Public keys only: ID tokens' (RS256), which it serves; it can mint none.")
    sign_gateway = GATEWAY_KEYS.sign("It mints access tokens for your own API's audiences "
                                     "(RS256, GatewayJwtAudiences).")
    publish_gateway = GATEWAY_KEYS.publish()
    verify_gateway = GATEWAY_KEYS.verify("Public keys only: your own API's access tokens' (RS256), which it serves; "
                                         "it can mint none.")
    rotate = right("It brings in new signing keys for every purpose and publishes their public halves.",
                   Statement(("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"),
                             tuple(ref(secret) for k in KEY_SETS for secret in k.variables)),
                   environment={variable: ref(secret) for k in KEY_SETS for secret, variable in k.variables.items()}
                   | {name: value for k in KEY_SETS for name, value in k.lifetime_variable.items()})


class EXPORTS(Rights):
    write = right("An export's file (the admin API): written once, under exports/.",
                  Statement(("s3:PutObject",), ({"Fn::Sub": "${ExportBucket.Arn}/exports/*"},)),
                  environment={"EXPORT_BUCKET": ref("ExportBucket")})
    read = right("An export's file, read through the presigned URL this function signs.",
                 Statement(("s3:GetObject",), ({"Fn::Sub": "${ExportBucket.Arn}/exports/*"},)),
                 environment={"EXPORT_BUCKET": ref("ExportBucket")})


class IMPORTS(Rights):
    read = right("An import's file (the admin API): only what operators put under imports/, read in chunks.",
                 Statement(("s3:GetObject",), ({"Fn::Sub": "${ImportBucket.Arn}/imports/*"},)),
                 environment={"IMPORT_BUCKET": ref("ImportBucket")})
    go_on = right("An import from S3 to start or go on with: a message to the import worker.",
                  Statement(("sqs:SendMessage",), (get_att("ImportQueue"),)),
                  environment={"IMPORT_QUEUE_URL": ref("ImportQueue"), "IMPORT_BUCKET": ref("ImportBucket")})


class MIGRATION(Rights):
    # Off (no UserMigrationFunctionArn), the statement names a function that does not exist.
    invoke = right("Lazy migration: the team's own function, asked about an address with no account.",
                   Statement(("lambda:InvokeFunction",), ({"Fn::If": [
                       "UserMigrationOn", ref("UserMigrationFunctionArn"),
                       {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:none"}]},)),
                   environment={"USER_MIGRATION_FUNCTION_ARN": ref("UserMigrationFunctionArn")})


class TOTP(Rights):
    # TOTP_KEY_SECRET_ARN is in the template's Globals (every function has it), so no environment here.
    unseal = right("The key that seals users' TOTP secrets: it checks or sets a TOTP code.",
                   Statement((_GET,), (ref("TotpKeySecret"),)))


class FEDERATION(Rights):
    read_client_secrets = right("The upstream identity providers' client secrets: it exchanges their codes.",
                                Statement((_GET,), (ref("FederationClientSecrets"),)),
                                environment={"FEDERATION_SECRETS_ARN": ref("FederationClientSecrets")})


_SES_IDENTITY = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/"


class MAIL(Rights):
    enqueue = right("Mail to send: it only enqueues (the mailer sends).",
                    Statement(("sqs:SendMessage",), (get_att("MailQueue"),)))
    send = right(
        "SES authorizes against the identity that covers the sender: the address, or its domain; only as\n"
        "MailFromAddress.",
        Statement(("ses:SendEmail",), (
            {"Fn::Sub": _SES_IDENTITY + "${MailFromAddress}"},
            {"Fn::Sub": [_SES_IDENTITY + "${Domain}",
                         {"Domain": {"Fn::Select": [1, {"Fn::Split": ["@", {"Ref": "MailFromAddress"}]}]}}]},
            {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:configuration-set/"
                        "${SesConfigurationSet}"},
        ), {"StringEquals": {"ses:FromAddress": {"Ref": "MailFromAddress"}}}),
        environment={"MAIL_FROM_ADDRESS": ref("MailFromAddress"), "SES_CONFIGURATION_SET": ref("SesConfigurationSet")})


# The rights every session signer holds: access and refresh tokens, and generation 0's public half.
_SESSIONS_SIGNED = (KEYS.sign_access, KEYS.sign_refresh, KEYS.publish_access)
_FIRST_FACTOR = (*_SESSIONS_SIGNED, KEYS.sign_pending, KEYS.publish_pending)
# Removing a member (or the account, or reclaiming it): their sessions, keys and sent invitations end.
_EVICTION = (SESSIONS.end_all, API_KEYS.revoke, INVITATIONS.revoke_all)
# Deleting an account that was its organization's last member: the modules' data goes too (api/module.py).
_MODULES_DATA = tuple(right for module in MODULES for right in module.organization_deleted_rights)

RIGHTS: dict[str, tuple[Right, ...]] = {
    "AuthorizerFunction": (AUDIT.append, SESSIONS.check, API_KEYS.check, API_KEYS.record_use, KEYS.verify_access,
                           APPS.read.because("An app's own token (client credentials): whether the app is still "
                                             "registered.")),
    "RegisterFunction": (AUDIT.append, RATE_LIMITS.count, ACCOUNTS.create_account, SESSIONS.start,
                         *_SESSIONS_SIGNED, MAIL.enqueue),
    "LoginFunction": (AUDIT.append, ACCOUNTS.check_passwords, ACCOUNTS.read_profile_and_passkeys,
                      ACCOUNTS.check_user.because(
                          "The new session requires the user item to hold the role it carries."),
                      RATE_LIMITS.count_and_clear, SESSIONS.start, *_FIRST_FACTOR, MAIL.enqueue, MIGRATION.invoke,
                      ACCOUNTS.create_account.because("Lazy migration: the account the legacy function answered for."),
                      ACCOUNTS.set_password.because(
                          "An imported password hash replaced by argon2id on its first right password.")),
    "RefreshFunction": (AUDIT.append, RATE_LIMITS.count, SESSIONS.update, *_SESSIONS_SIGNED,
                        ACCOUNTS.read_profile.because(
                            "Whether the user still exists in the session's organization: a removed or deleted\n"
                            "user's session is not refreshed.")),
    "LogoutFunction": (AUDIT.append, SESSIONS.update),
    "LogoutAllFunction": (AUDIT.append, SESSIONS.end_all, ACCOUNTS.sign_out_everywhere, API_KEYS.revoke),
    "ListSessionsFunction": (SESSIONS.list,),
    "RevokeSessionFunction": (AUDIT.append, SESSIONS.update),
    "MeFunction": (ACCOUNTS.read_profile,),
    "SetupTwoFactorFunction": (AUDIT.append,
                               ACCOUNTS.read_profile.because(
                                   "It checks no code: it writes a new sealed secret, and reads none back."),
                               ACCOUNTS.update_user_returning_nothing, TOTP.unseal),
    "EnableTwoFactorFunction": (AUDIT.append, ACCOUNTS.check_passwords, ACCOUNTS.check_second_factor,
                                RATE_LIMITS.count_and_clear, SESSIONS.end_all, TOTP.unseal, MAIL.enqueue),
    "DisableTwoFactorFunction": (AUDIT.append, ACCOUNTS.check_passwords, ACCOUNTS.check_second_factor,
                                 RATE_LIMITS.count_and_clear, SESSIONS.end_all, TOTP.unseal, MAIL.enqueue),
    "VerifyTwoFactorFunction": (RATE_LIMITS.read_challenge, AUDIT.append, ACCOUNTS.check_second_factor,
                                RATE_LIMITS.count_and_clear, SESSIONS.start, TOTP.unseal, KEYS.sign_access,
                                KEYS.sign_refresh, KEYS.verify_pending, KEYS.publish_access, MAIL.enqueue),
    "CreateApiKeyFunction": (IDEMPOTENCY.records, AUDIT.append, API_KEYS.create, MAIL.enqueue,
                             ACCOUNTS.check_user.because(
                                 "A key is made only while its user is not disabled (the admin API).")),
    "ListApiKeysFunction": (API_KEYS.list,),
    "RevokeApiKeyFunction": (AUDIT.append, API_KEYS.revoke),
    "GetOrganizationFunction": (ACCOUNTS.read_organization,),
    "ListAuditEventsFunction": (AUDIT.read,),
    "UpdateOrganizationFunction": (AUDIT.append, ACCOUNTS.update_organization,
                                   ACCOUNTS.list_members.because(
                                       "Its admins (the member index: no secrets), and the notice each of them "
                                       "is sent."),
                                   MAIL.enqueue),
    "ReauthenticateFunction": (RATE_LIMITS.read_challenge, AUDIT.append, ACCOUNTS.check_passwords,
                               ACCOUNTS.check_second_factor, RATE_LIMITS.count_and_clear, SESSIONS.check,
                               SESSIONS.update, TOTP.unseal, *_SESSIONS_SIGNED, MAIL.enqueue),
    "PasskeyRegisterOptionsFunction": (ACCOUNTS.read_profile_and_passkeys, RATE_LIMITS.issue_challenge),
    "RegisterPasskeyFunction": (AUDIT.append, ACCOUNTS.read_profile_and_passkeys, ACCOUNTS.update_user,
                                RATE_LIMITS.spend_challenge, MAIL.enqueue),
    "ListPasskeysFunction": (ACCOUNTS.read_profile_and_passkeys,),
    "RenamePasskeyFunction": (ACCOUNTS.read_profile_and_passkeys, ACCOUNTS.update_user),
    "DeletePasskeyFunction": (AUDIT.append, ACCOUNTS.read_profile_and_passkeys, ACCOUNTS.update_user, MAIL.enqueue),
    "PasskeyLoginOptionsFunction": (RATE_LIMITS.count_requests_from_ip, ACCOUNTS.read_profile_and_passkeys,
                                    RATE_LIMITS.issue_challenge, SESSIONS.check, KEYS.verify_access,
                                    KEYS.verify_pending),
    "PasskeyLoginFunction": (RATE_LIMITS.count_requests_from_ip, AUDIT.append, ACCOUNTS.read_profile_and_passkeys,
                             ACCOUNTS.update_user, RATE_LIMITS.spend_challenge, SESSIONS.start, *_SESSIONS_SIGNED),
    "ListMembersFunction": (ACCOUNTS.list_members,),
    "UpdateMemberFunction": (APPS.end, AUDIT.append, ACCOUNTS.read_profile, ACCOUNTS.change_role, *_EVICTION),
    "RemoveMemberFunction": (APPS.end, AUDIT.append, ACCOUNTS.read_sign_in_methods, ACCOUNTS.remove_user,
                             ACCOUNTS.forget_identities, ACCOUNTS.count_admins, *_EVICTION),
    "EndMemberSessionsFunction": (ACCOUNTS.read_profile, SESSIONS.end_all),
    "InviteMemberFunction": (IDEMPOTENCY.records, AUDIT.append, ACCOUNTS.check_email_unclaimed, INVITATIONS.send,
                             ACCOUNTS.read_organization.because(
                                 "The organization's and the inviter's names, for the email."),
                             ACCOUNTS.read_profile, MAIL.enqueue,
                             RATE_LIMITS.count.because(
                                 "The invitation mail budget: the organization's and the address's counters.")),
    "ListInvitationsFunction": (INVITATIONS.list,),
    "RevokeInvitationFunction": (INVITATIONS.resolve,),
    "OAuthMetadataFunction": (),
    "OAuthUserInfoFunction": (ACCOUNTS.read_profile,),
    "OAuthIntrospectFunction": (APPS.read, KEYS.verify_access, SESSIONS.check.because(
                                    "Whether the token's session still lives, as the authorizer asks.")),
    "OAuthRevokeFunction": (APPS.read, KEYS.verify_access, KEYS.sign_refresh.because(
                                "Refresh tokens have no public set: it verifies the one it is shown with it."),
                            SESSIONS.update.because("The sign-in's session, revoked.")),
    "AuthorizeFunction": (APPS.read, OAUTH_GRANTS.open_request),
    "AuthorizeDecisionFunction": (APPS.read, OAUTH_GRANTS.decide),
    "CancelAuthorizationFunction": (APPS.read, OAUTH_GRANTS.give_up),
    "RegisterClientFunction": (RATE_LIMITS.count, AUDIT.append, APPS.register),
    "EndSessionFunction": (APPS.read, KEYS.verify_id, AUDIT.append, SESSIONS.check.because(
                               "The ID token's session: the app's, and the hosted page's that granted it."),
                           SESSIONS.update.because("The app's session and the hosted page's, revoked.")),
    "OAuthTokenFunction": (APPS.read, OAUTH_GRANTS.redeem, AUDIT.append, SESSIONS.start, SESSIONS.update.because(
                               "An app's session: rotated by its refresh token, or revoked when one is reused."),
                           *_SESSIONS_SIGNED,
                           KEYS.sign_id, KEYS.publish_id, KEYS.sign_gateway, KEYS.publish_gateway,
                           ACCOUNTS.read_profile.because(
                               "The code's user: still a member of the app's organization."),
                           ACCOUNTS.check_user.because(
                               "The new session requires the user item to hold the role it carries.")),
    "ProtectedResourceMetadataFunction": (),
    "CreateAppFunction": (AUDIT.append, APPS.register),
    "ListAppsFunction": (APPS.list,),
    "UpdateAppFunction": (AUDIT.append, APPS.manage),
    "DeleteAppFunction": (AUDIT.append, APPS.manage),
    "RotateAppSecretFunction": (AUDIT.append, APPS.manage),
    "AcceptInvitationFunction": (AUDIT.append, INVITATIONS.resolve, ACCOUNTS.create_member,
                                 ACCOUNTS.join_organization, SESSIONS.start, *_SESSIONS_SIGNED,
                                 ACCOUNTS.check_user.because(
                                     "The inviter: still an admin of the organization, checked in the accepting "
                                     "transaction.")),
    "VerifyEmailFunction": (AUDIT.append, ACCOUNTS.read_profile_and_tokens, ACCOUNTS.update_user,
                            ACCOUNTS.move_credentials, MAIL.enqueue),
    "ResendVerificationFunction": (ACCOUNTS.read_profile_and_tokens, ACCOUNTS.update_user, RATE_LIMITS.count,
                                   MAIL.enqueue),
    "ForgotPasswordFunction": (RATE_LIMITS.count, MAIL.enqueue),
    "MagicLinkFunction": (RATE_LIMITS.count, MAIL.enqueue),
    "VerifyMagicLinkFunction": (AUDIT.append, ACCOUNTS.read_profile_tokens_and_passkeys.because(
                                    "The user item with its one-time tokens, never the TOTP secrets; the link is "
                                    "spent on it."),
                                ACCOUNTS.update_user, RATE_LIMITS.count_and_clear, SESSIONS.start, *_FIRST_FACTOR,
                                MAIL.enqueue),
    "EmailCodeFunction": (RATE_LIMITS.count, MAIL.enqueue),
    "VerifyEmailCodeFunction": (AUDIT.append, ACCOUNTS.spend_sign_in_code.because(
                                    "The email's sign-in code (never the password hash), spent on it; the user item, "
                                    "never the\nTOTP secrets, marked verified."),
                                ACCOUNTS.read_profile_and_passkeys, ACCOUNTS.update_user, RATE_LIMITS.count_and_clear,
                                SESSIONS.start, *_FIRST_FACTOR, MAIL.enqueue),
    "ResetPasswordFunction": (APPS.end, AUDIT.append, ACCOUNTS.check_second_factor, ACCOUNTS.set_password,
                              ACCOUNTS.list_members.because(
                                  "Reclaiming an account set up on a never-verified address "
                                  "(docs/security/recovery.md): the\norganization's other members removed, its "
                                  "invitations revoked, its settings reset."),
                              ACCOUNTS.read_sign_in_methods.because(
                                  "Reclaiming: the passkeys and linked providers of whoever set the account up go."),
                              ACCOUNTS.unlink_identity, ACCOUNTS.forget_identities,
                              ACCOUNTS.remove_user, ACCOUNTS.update_organization, INVITATIONS.revoke_all,
                              RATE_LIMITS.count_and_clear, SESSIONS.end_all, API_KEYS.revoke, TOTP.unseal,
                              MAIL.enqueue),
    "ChangePasswordFunction": (AUDIT.append, ACCOUNTS.change_password, ACCOUNTS.read_profile,
                               ACCOUNTS.void_email_change, RATE_LIMITS.count_and_clear, SESSIONS.end_all,
                               MAIL.enqueue),
    "ChangeEmailFunction": (AUDIT.append, ACCOUNTS.check_passwords, ACCOUNTS.read_profile, ACCOUNTS.update_user,
                            RATE_LIMITS.count_and_clear, MAIL.enqueue),
    "CancelEmailChangeFunction": (AUDIT.append, ACCOUNTS.read_profile_and_tokens,
                                  ACCOUNTS.update_user),
    "DeleteAccountFunction": (APPS.end, AUDIT.append, ACCOUNTS.delete_credentials, ACCOUNTS.delete_user,
                              ACCOUNTS.list_members.because("Who else is in the organization (the sole-admin rule)."),
                              ACCOUNTS.delete_organization, RATE_LIMITS.count_and_clear, SESSIONS.end_all,
                              API_KEYS.revoke, TOTP.unseal, INVITATIONS.revoke_all, ACCOUNTS.read_sign_in_methods,
                              ACCOUNTS.forget_identities, *_MODULES_DATA),
    "JwksFunction": (KEYS.verify_access.because("Public keys only: it serves them (the JWKS) and can mint none."),
                     KEYS.verify_id, KEYS.verify_gateway),
    "RotateSigningKeysFunction": (KEYS.rotate,),
    "SendMailFunction": (MIGRATION.invoke, ACCOUNTS.create_account.because(
                             "Lazy migration at forgot-password: the account the legacy function answered for."),
                         AUDIT.append, ACCOUNTS.find_user_id.because(
                             "Its jobs (latchkey.usecases.recovery.prepare): whose account an email is (never the "
                             "password\nhash), the user's address and name, and a new reset token on the user item "
                             "(`email` in its\ncondition: stored only while the account still has the address the "
                             "link is mailed to)."),
                         ACCOUNTS.read_profile, ACCOUNTS.issue_emailed_link, ACCOUNTS.issue_sign_in_code,
                         ACCOUNTS.create_account.because(
                             "PasswordlessSignUp: a sign-in email to an address with no account creates it (user, "
                             "credentials\nand organization, at once)."),
                         MAIL.send),
    "ListProvidersFunction": (),
    "OAuthStartFunction": (RATE_LIMITS.count_requests_from_ip, RATE_LIMITS.start_federated_sign_in),
    "OAuthCallbackFunction": (RATE_LIMITS.count_requests_from_ip, RATE_LIMITS.spend_federated_sign_in,
                              FEDERATION.read_client_secrets, AUDIT.append, ACCOUNTS.find_identity,
                              ACCOUNTS.find_user_id, ACCOUNTS.read_profile, ACCOUNTS.create_account,
                              ACCOUNTS.link_identity, ACCOUNTS.forget_identities, ACCOUNTS.check_user.because(
                                  "The new session requires the user item to hold the role it carries."),
                              ACCOUNTS.read_profile_and_passkeys.because(
                                  "Whether the user has passkeys (the second factor's methods), never a secret."),
                              SESSIONS.start, *_FIRST_FACTOR, MAIL.enqueue),
    "ListIdentitiesFunction": (ACCOUNTS.read_sign_in_methods,),
    "LinkIdentityFunction": (RATE_LIMITS.start_federated_sign_in,),
    "UnlinkIdentityFunction": (AUDIT.append, ACCOUNTS.read_sign_in_methods, ACCOUNTS.check_email_unclaimed.because(
                                   "Whether the user has a password: a condition on their credentials item in the "
                                   "unlinking\ntransaction (its hash is never read)."),
                               ACCOUNTS.unlink_identity, MAIL.enqueue),
    "OpenApiFunction": (),
    "FallbackFunction": (),
    # The admin API (operators: AWS IAM principals).
    "AdminCreateUserFunction": (AUDIT.append, ACCOUNTS.create_account, ACCOUNTS.join_organization),
    "AdminFindUserFunction": (ACCOUNTS.find_user_id, ACCOUNTS.read_profile),
    "AdminGetUserFunction": (ACCOUNTS.read_profile,),
    "AdminDisableUserFunction": (APPS.end, AUDIT.append, ACCOUNTS.read_profile, ACCOUNTS.disable_user, SESSIONS.end_all,
                                 API_KEYS.revoke),
    "AdminEnableUserFunction": (AUDIT.append, ACCOUNTS.read_profile, ACCOUNTS.disable_user),
    "AdminSignOutUserFunction": (AUDIT.append, ACCOUNTS.read_profile, SESSIONS.end_all,
                                 ACCOUNTS.sign_out_everywhere, API_KEYS.revoke),
    "AdminImportUsersFunction": (AUDIT.append, ACCOUNTS.create_account, ACCOUNTS.join_organization,
                                 ACCOUNTS.record_import, ACCOUNTS.resolve_organization_key, TOTP.unseal.because(
                                     "The key that seals an imported user's TOTP secret."),
                                 IMPORTS.go_on),
    "AdminImportWorkerFunction": (AUDIT.append, ACCOUNTS.create_account, ACCOUNTS.join_organization,
                                  ACCOUNTS.advance_import, ACCOUNTS.resolve_organization_key, TOTP.unseal.because(
                                      "The key that seals an imported user's TOTP secret."),
                                  IMPORTS.read, IMPORTS.go_on),
    "AdminGetImportFunction": (ACCOUNTS.read_import,),
    "AdminExportUsersFunction": (ACCOUNTS.export_all, EXPORTS.write, TOTP.unseal.because(
        "It unseals each TOTP secret to seal it again to the export's recipient.")),
    "AdminGetExportFunction": (ACCOUNTS.read_export, EXPORTS.read),
    # Never the whole user item (an operator's delete checks no password or code): its projection, then deletes.
    "AdminDeleteUserFunction": (APPS.end, AUDIT.append, ACCOUNTS.read_profile, ACCOUNTS.read_sign_in_methods,
                                ACCOUNTS.remove_user, ACCOUNTS.forget_identities, ACCOUNTS.count_admins,
                                ACCOUNTS.void_email_change,
                                ACCOUNTS.list_members.because("Who else is in the organization (the sole-admin rule)."),
                                ACCOUNTS.delete_organization, RATE_LIMITS.count_and_clear, *_EVICTION,
                                *_MODULES_DATA),
}
# The modules' functions: the rights each declares (examples/<name>/declaration.py).
for _module in MODULES:
    RIGHTS |= _module.rights
# Your own endpoints' functions (api/endpoints/): the rights each declares.
RIGHTS |= {endpoint.logical_id: endpoint.rights for endpoint in ENDPOINTS}


def rights(function_logical_id: str) -> tuple[Right, ...]:
    return RIGHTS[function_logical_id]


def policies(function_logical_id: str) -> list[Statement]:
    """The function's IAM statements: its rights' statements, each once; statements that differ only
    in their resources and share their reason are one statement (`[] ` for a function with no rights:
    render no Policies)."""
    merged: list[Statement] = []
    for statement in (s for r in RIGHTS[function_logical_id] for s in r.expand()):
        for i, held in enumerate(merged):
            if (held.effect, held.actions, held.condition, held.why) == (statement.effect, statement.actions,
                                                                          statement.condition, statement.why):
                extra = tuple(r for r in statement.resources if r not in held.resources)
                merged[i] = replace(held, resources=held.resources + extra)
                break
        else:
            merged.append(statement)
    return merged


def environment(function_logical_id: str) -> dict[str, object]:
    """The variables the function has only because of a right it holds (a secret's ARN, the
    idempotency table, the sender address), in the order its rights name them."""
    variables: dict[str, object] = {}
    for held in RIGHTS[function_logical_id]:
        for name, value in held.environment.items():
            assert variables.get(name, value) == value, f"{function_logical_id}: two values for {name}"
            variables[name] = value
    return variables


def every_right() -> dict[str, Right]:
    """Every named right, by name."""
    from api.tables import TABLE_RIGHTS

    found: dict[str, Right] = {}
    modules = (namespace for module in MODULES for namespace in module.namespaces)
    for namespace in (*TABLE_RIGHTS, KEYS, TOTP, MAIL, FEDERATION, EXPORTS, IMPORTS, MIGRATION, *modules):
        found |= namespace.all()
    return found
