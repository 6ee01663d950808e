"""Each function's IAM statements (`policies(function_logical_id)`), as template.yaml's functions
region renders them.

TRANSITIONAL: a snapshot of the statements template.yaml held by hand when the functions region
became generated, copied out mechanically (each comment above a statement is its `why`; the three
comments that sat inside a statement are appended to its `why`). The access-rights declaration
(named rights per table, secret and queue; another branch) replaces this file with the same
`policies` function. Edit a function's rights here until then."""

from __future__ import annotations

from api.iam import Statement, get_att, ref

_STATEMENTS: dict[str, tuple[Statement, ...]] = {
    "AuthorizerFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(("dynamodb:GetItem",), (get_att("SessionsTable"),)),
        Statement(("dynamodb:GetItem",), (get_att("ApiKeysTable"),)),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("ApiKeysTable"),),
            condition={
                "ForAllValues:StringEquals": {"dynamodb:Attributes": ["keyHash", "lastUsedAt"]},
                "StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"},
            },
            why="It records a key's last use, and can change nothing else: not whether it is revoked.",
        ),
        Statement(
            ("secretsmanager:GetSecretValue",),
            (ref("AccessTokenPublicKeys"),),
            why="Public keys only: it verifies access tokens and can mint none.",
        ),
    ),
    "RegisterFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(("dynamodb:UpdateItem",), (get_att("RateLimitsTable"),)),
        Statement(("dynamodb:PutItem",), (get_att("AccountsTable"), get_att("SessionsTable"))),
        Statement(("secretsmanager:GetSecretValue",), (ref("AccessTokenSigningKeys"), ref("RefreshTokenSigningKeys"))),
        Statement(
            ("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"),
            (ref("AccessTokenPublicKeys"),),
            why="Generation 0's public half, once, while the public set is still a placeholder.",
        ),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "LoginFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["EMAIL#*"]}},
            why="It checks passwords: the credentials items; of a user item, never the TOTP secrets.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                        "passkeys",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
        ),
        Statement(
            ("dynamodb:ConditionCheckItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
            why="The new session requires the user item to hold the role it carries.",
        ),
        Statement(("dynamodb:UpdateItem", "dynamodb:DeleteItem"), (get_att("RateLimitsTable"),)),
        Statement(("dynamodb:PutItem",), (get_att("SessionsTable"),)),
        Statement(
            ("secretsmanager:GetSecretValue",),
            (ref("AccessTokenSigningKeys"), ref("RefreshTokenSigningKeys"), ref("PendingTokenSigningKeys")),
        ),
        Statement(
            ("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"),
            (ref("AccessTokenPublicKeys"), ref("PendingTokenPublicKeys")),
            why="Generation 0's public half, once, while the public set is still a placeholder.",
        ),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "RefreshFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(("dynamodb:UpdateItem",), (get_att("RateLimitsTable"),)),
        Statement(("dynamodb:UpdateItem",), (get_att("SessionsTable"),)),
        Statement(("secretsmanager:GetSecretValue",), (ref("AccessTokenSigningKeys"), ref("RefreshTokenSigningKeys"))),
        Statement(
            ("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"),
            (ref("AccessTokenPublicKeys"),),
            why="Generation 0's public half, once, while the public set is still a placeholder.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
            why=(
                "Whether the user still exists in the session's organization: a removed or deleted "
                "user's session is not refreshed."
            ),
        ),
    ),
    "LogoutFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(("dynamodb:UpdateItem",), (get_att("SessionsTable"),)),
    ),
    "LogoutAllFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(("dynamodb:Query", "dynamodb:UpdateItem"), (get_att("SessionsTable"),)),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "signedOutAt",
                        "pendingEmail",
                        "emailTokenHash",
                        "emailTokenExpiresAt",
                        "approveTokenHash",
                        "approveTokenExpiresAt",
                        "emailChangeApproved",
                        "emailChangeConfirmed",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"},
            },
            why=(
                "The user's signed-out-at mark, nothing else of the item (it voids pending-2FA tokens). "
                "signedOutAt, and a pending email change voided (accounts.void_email_change)"
            ),
        ),
        Statement(("dynamodb:Query",), ({"Fn::Sub": "${ApiKeysTable.Arn}/index/ByOrganization"},)),
        Statement(("dynamodb:UpdateItem",), (get_att("ApiKeysTable"),)),
    ),
    "ListSessionsFunction": (Statement(("dynamodb:Query",), (get_att("SessionsTable"),)),),
    "RevokeSessionFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(("dynamodb:UpdateItem",), (get_att("SessionsTable"),)),
    ),
    "MeFunction": (
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
        ),
    ),
    "ListAssessmentsFunction": (Statement(("dynamodb:Query",), (get_att("AssessmentsTable"),)),),
    "CreateAssessmentFunction": (
        Statement(
            ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
            (get_att("IdempotencyTable"),),
            why="Powertools Idempotency's records of this function's creates.",
        ),
        Statement(("dynamodb:PutItem",), (get_att("AssessmentsTable"),)),
    ),
    "SetupTwoFactorFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
            why="It checks no code: it writes a new sealed secret, and reads none back.",
        ),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"},
            },
        ),
        Statement(("secretsmanager:GetSecretValue",), (ref("TotpKeySecret"),)),
    ),
    "EnableTwoFactorFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["EMAIL#*"]}},
        ),
        Statement(
            ("dynamodb:GetItem", "dynamodb:UpdateItem"),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
        ),
        Statement(("dynamodb:UpdateItem", "dynamodb:DeleteItem"), (get_att("RateLimitsTable"),)),
        Statement(("dynamodb:Query", "dynamodb:UpdateItem"), (get_att("SessionsTable"),)),
        Statement(("secretsmanager:GetSecretValue",), (ref("TotpKeySecret"),)),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "DisableTwoFactorFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["EMAIL#*"]}},
        ),
        Statement(
            ("dynamodb:GetItem", "dynamodb:UpdateItem"),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
        ),
        Statement(("dynamodb:UpdateItem", "dynamodb:DeleteItem"), (get_att("RateLimitsTable"),)),
        Statement(("dynamodb:Query", "dynamodb:UpdateItem"), (get_att("SessionsTable"),)),
        Statement(("secretsmanager:GetSecretValue",), (ref("TotpKeySecret"),)),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "VerifyTwoFactorFunction": (
        Statement(
            ("dynamodb:GetItem",),
            (get_att("RateLimitsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["challenge#*"]}},
            why="Passkey challenges: read, then spent (deleted) with the sign-in or step-up.",
        ),
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem", "dynamodb:UpdateItem"),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
        ),
        Statement(("dynamodb:UpdateItem", "dynamodb:DeleteItem"), (get_att("RateLimitsTable"),)),
        Statement(("dynamodb:PutItem",), (get_att("SessionsTable"),)),
        Statement(
            ("secretsmanager:GetSecretValue",),
            (
                ref("TotpKeySecret"),
                ref("AccessTokenSigningKeys"),
                ref("RefreshTokenSigningKeys"),
                ref("PendingTokenPublicKeys"),
            ),
        ),
        Statement(
            ("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"),
            (ref("AccessTokenPublicKeys"),),
            why="Generation 0's public half, once, while the public set is still a placeholder.",
        ),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "CreateApiKeyFunction": (
        Statement(
            ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
            (get_att("IdempotencyTable"),),
            why="Powertools Idempotency's records of this function's creates.",
        ),
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(("dynamodb:PutItem",), (get_att("ApiKeysTable"),)),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "ListApiKeysFunction": (
        Statement(("dynamodb:Query",), ({"Fn::Sub": "${ApiKeysTable.Arn}/index/ByOrganization"},)),
    ),
    "RevokeApiKeyFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(("dynamodb:Query",), ({"Fn::Sub": "${ApiKeysTable.Arn}/index/ByOrganization"},)),
        Statement(("dynamodb:UpdateItem",), (get_att("ApiKeysTable"),)),
    ),
    "GetPublicAssessmentFunction": (Statement(("dynamodb:GetItem",), (get_att("AssessmentsTable"),)),),
    "GetOrganizationFunction": (
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["ORG#*"]}},
        ),
    ),
    "ListAuditEventsFunction": (
        Statement(
            ("dynamodb:Query",), (get_att("AuditEventsTable"), {"Fn::Sub": "${AuditEventsTable.Arn}/index/ByUser"})
        ),
    ),
    "UpdateOrganizationFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:UpdateItem", "dynamodb:GetItem"),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["ORG#*"]}},
            why="the organization before, the change, after",
        ),
        Statement(
            ("dynamodb:Query",),
            ({"Fn::Sub": "${AccountsTable.Arn}/index/ByOrganization"},),
            why="Its admins (the member index: no secrets), and the notice each of them is sent.",
        ),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "InviteCandidateFunction": (
        Statement(
            ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
            (get_att("IdempotencyTable"),),
            why="Powertools Idempotency's records of this function's creates.",
        ),
        Statement(("dynamodb:GetItem",), (get_att("AssessmentsTable"),)),
        Statement(("dynamodb:PutItem",), (get_att("CandidatesTable"),)),
    ),
    "ListCandidatesFunction": (
        Statement(
            ("dynamodb:Query",),
            (
                {"Fn::Sub": "${CandidatesTable.Arn}/index/ByOrganization"},
                {"Fn::Sub": "${CandidatesTable.Arn}/index/ByAssessment"},
            ),
        ),
    ),
    "GetCandidateFunction": (Statement(("dynamodb:GetItem",), (get_att("CandidatesTable"),)),),
    "CompleteAssessmentFunction": (
        Statement(("dynamodb:UpdateItem",), (get_att("CandidatesTable"),)),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["ORG#*"]}},
        ),
        Statement(
            ("secretsmanager:GetSecretValue",),
            (ref("ResultTokenSigningKeys"),),
            why="Result tokens only: it can mint no access, refresh or pending token.",
        ),
        Statement(
            ("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"),
            (ref("ResultTokenPublicKeys"),),
            why="Generation 0's public half, once, while the public set is still a placeholder.",
        ),
    ),
    "ExchangeResultFunction": (
        Statement(("dynamodb:GetItem",), (get_att("CandidatesTable"),)),
        Statement(
            ("secretsmanager:GetSecretValue",),
            (ref("ResultTokenPublicKeys"),),
            why="Public keys only: it verifies result tokens and can mint none.",
        ),
    ),
    "ReauthenticateFunction": (
        Statement(
            ("dynamodb:GetItem",),
            (get_att("RateLimitsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["challenge#*"]}},
            why="Passkey challenges: read, then spent (deleted) with the sign-in or step-up.",
        ),
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["EMAIL#*"]}},
        ),
        Statement(
            ("dynamodb:GetItem", "dynamodb:UpdateItem"),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
        ),
        Statement(("dynamodb:UpdateItem", "dynamodb:DeleteItem"), (get_att("RateLimitsTable"),)),
        Statement(("dynamodb:UpdateItem",), (get_att("SessionsTable"),)),
        Statement(
            ("secretsmanager:GetSecretValue",),
            (ref("TotpKeySecret"), ref("AccessTokenSigningKeys"), ref("RefreshTokenSigningKeys")),
        ),
        Statement(
            ("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"),
            (ref("AccessTokenPublicKeys"),),
            why="Generation 0's public half, once, while the public set is still a placeholder.",
        ),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "PasskeyRegisterOptionsFunction": (
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                        "passkeys",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
            why="The user and their passkeys, through a projection: never the password hash or TOTP secrets.",
        ),
        Statement(
            ("dynamodb:PutItem",),
            (get_att("RateLimitsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["challenge#*"]}},
        ),
    ),
    "RegisterPasskeyFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                        "passkeys",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
            why="The user and their passkeys, through a projection: never the password hash or TOTP secrets.",
        ),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
        ),
        Statement(
            ("dynamodb:GetItem", "dynamodb:DeleteItem"),
            (get_att("RateLimitsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["challenge#*"]}},
        ),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "ListPasskeysFunction": (
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                        "passkeys",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
            why="The user and their passkeys, through a projection: never the password hash or TOTP secrets.",
        ),
    ),
    "RenamePasskeyFunction": (
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                        "passkeys",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
            why="The user and their passkeys, through a projection: never the password hash or TOTP secrets.",
        ),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
        ),
    ),
    "DeletePasskeyFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                        "passkeys",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
            why="The user and their passkeys, through a projection: never the password hash or TOTP secrets.",
        ),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
        ),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "PasskeyLoginOptionsFunction": (
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("RateLimitsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["rate#*"]}},
            why="Its per-IP rate limit's counter.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                        "passkeys",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
            why="The user and their passkeys, through a projection: never the password hash or TOTP secrets.",
        ),
        Statement(
            ("dynamodb:PutItem",),
            (get_att("RateLimitsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["challenge#*"]}},
        ),
        Statement(("dynamodb:GetItem",), (get_att("SessionsTable"),)),
        Statement(("secretsmanager:GetSecretValue",), (ref("AccessTokenPublicKeys"), ref("PendingTokenPublicKeys"))),
    ),
    "PasskeyLoginFunction": (
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("RateLimitsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["rate#*"]}},
            why="Its per-IP rate limit's counter.",
        ),
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                        "passkeys",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
            why="The user and their passkeys, through a projection: never the password hash or TOTP secrets.",
        ),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
        ),
        Statement(
            ("dynamodb:GetItem", "dynamodb:DeleteItem"),
            (get_att("RateLimitsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["challenge#*"]}},
        ),
        Statement(("dynamodb:PutItem",), (get_att("SessionsTable"),)),
        Statement(("secretsmanager:GetSecretValue",), (ref("AccessTokenSigningKeys"), ref("RefreshTokenSigningKeys"))),
        Statement(
            ("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"),
            (ref("AccessTokenPublicKeys"),),
            why="Generation 0's public half, once, while the public set is still a placeholder.",
        ),
    ),
    "ListMembersFunction": (
        Statement(("dynamodb:Query",), ({"Fn::Sub": "${AccountsTable.Arn}/index/ByOrganization"},)),
    ),
    "UpdateMemberFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
        ),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*", "ORG#*"]}},
            why="The user's role and the organization's admin count, in one transaction.",
        ),
        Statement(("dynamodb:Query", "dynamodb:UpdateItem"), (get_att("SessionsTable"),)),
        Statement(("dynamodb:Query",), ({"Fn::Sub": "${ApiKeysTable.Arn}/index/ByOrganization"},)),
        Statement(("dynamodb:UpdateItem",), (get_att("ApiKeysTable"),)),
        Statement(
            ("dynamodb:Query",),
            ({"Fn::Sub": "${InvitationsTable.Arn}/index/ByOrganization"},),
            why="The invitations the member sent: revoked with them.",
        ),
        Statement(("dynamodb:UpdateItem", "dynamodb:DeleteItem"), (get_att("InvitationsTable"),)),
    ),
    "RemoveMemberFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
        ),
        Statement(
            ("dynamodb:DeleteItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*", "EMAIL#*"]}},
        ),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["ORG#*"]}},
        ),
        Statement(("dynamodb:Query", "dynamodb:UpdateItem"), (get_att("SessionsTable"),)),
        Statement(("dynamodb:Query",), ({"Fn::Sub": "${ApiKeysTable.Arn}/index/ByOrganization"},)),
        Statement(("dynamodb:UpdateItem",), (get_att("ApiKeysTable"),)),
        Statement(
            ("dynamodb:Query",),
            ({"Fn::Sub": "${InvitationsTable.Arn}/index/ByOrganization"},),
            why="The invitations the member sent: revoked with them.",
        ),
        Statement(("dynamodb:UpdateItem", "dynamodb:DeleteItem"), (get_att("InvitationsTable"),)),
    ),
    "EndMemberSessionsFunction": (
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
        ),
        Statement(("dynamodb:Query", "dynamodb:UpdateItem"), (get_att("SessionsTable"),)),
    ),
    "InviteMemberFunction": (
        Statement(
            ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
            (get_att("IdempotencyTable"),),
            why="Powertools Idempotency's records of this function's creates.",
        ),
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:ConditionCheckItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["EMAIL#*"]}},
            why="Whether the address has an account (one organization per user), checked in the write.",
        ),
        Statement(("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"), (get_att("InvitationsTable"),)),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["ORG#*"]}},
            why="The organization's and the inviter's names, for the email.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
        ),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("RateLimitsTable"),),
            why="The invitation mail budget: the organization's and the address's counters.",
        ),
    ),
    "ListInvitationsFunction": (
        Statement(("dynamodb:Query",), ({"Fn::Sub": "${InvitationsTable.Arn}/index/ByOrganization"},)),
    ),
    "RevokeInvitationFunction": (
        Statement(("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"), (get_att("InvitationsTable"),)),
    ),
    "AcceptInvitationFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"), (get_att("InvitationsTable"),)),
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*", "EMAIL#*"]}},
            why="The new credentials and user; the organization's admin count (or that it still exists).",
        ),
        Statement(
            ("dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["ORG#*"]}},
        ),
        Statement(("dynamodb:PutItem",), (get_att("SessionsTable"),)),
        Statement(("secretsmanager:GetSecretValue",), (ref("AccessTokenSigningKeys"), ref("RefreshTokenSigningKeys"))),
        Statement(
            ("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"),
            (ref("AccessTokenPublicKeys"),),
            why="Generation 0's public half, once, while the public set is still a placeholder.",
        ),
        Statement(
            ("dynamodb:ConditionCheckItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
            why="The inviter: still an admin of the organization, checked in the accepting transaction.",
        ),
    ),
    "VerifyEmailFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "verifyTokenHash",
                        "verifyTokenExpiresAt",
                        "verifyTokenSpent",
                        "resetTokenHash",
                        "resetTokenExpiresAt",
                        "resetTokenSpent",
                        "emailTokenHash",
                        "emailTokenExpiresAt",
                        "emailTokenSpent",
                        "magicTokenHash",
                        "magicTokenExpiresAt",
                        "magicTokenSpent",
                        "pendingEmail",
                        "approveTokenHash",
                        "approveTokenExpiresAt",
                        "approveTokenSpent",
                        "emailChangeApproved",
                        "emailChangeConfirmed",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
        ),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
        ),
        Statement(
            ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["EMAIL#*"]}},
            why="An email change moves the credentials item to the new address (one transaction).",
        ),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "ResendVerificationFunction": (
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "verifyTokenHash",
                        "verifyTokenExpiresAt",
                        "verifyTokenSpent",
                        "resetTokenHash",
                        "resetTokenExpiresAt",
                        "resetTokenSpent",
                        "emailTokenHash",
                        "emailTokenExpiresAt",
                        "emailTokenSpent",
                        "magicTokenHash",
                        "magicTokenExpiresAt",
                        "magicTokenSpent",
                        "pendingEmail",
                        "approveTokenHash",
                        "approveTokenExpiresAt",
                        "approveTokenSpent",
                        "emailChangeApproved",
                        "emailChangeConfirmed",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
        ),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
        ),
        Statement(("dynamodb:UpdateItem",), (get_att("RateLimitsTable"),)),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "ForgotPasswordFunction": (
        Statement(("dynamodb:UpdateItem",), (get_att("RateLimitsTable"),)),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "MagicLinkFunction": (
        Statement(("dynamodb:UpdateItem",), (get_att("RateLimitsTable"),)),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "VerifyMagicLinkFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "verifyTokenHash",
                        "verifyTokenExpiresAt",
                        "verifyTokenSpent",
                        "resetTokenHash",
                        "resetTokenExpiresAt",
                        "resetTokenSpent",
                        "emailTokenHash",
                        "emailTokenExpiresAt",
                        "emailTokenSpent",
                        "magicTokenHash",
                        "magicTokenExpiresAt",
                        "magicTokenSpent",
                        "pendingEmail",
                        "approveTokenHash",
                        "approveTokenExpiresAt",
                        "approveTokenSpent",
                        "emailChangeApproved",
                        "emailChangeConfirmed",
                        "passkeys",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
            why="The user item with its one-time tokens, never the TOTP secrets; the link is spent on it.",
        ),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
        ),
        Statement(("dynamodb:UpdateItem", "dynamodb:DeleteItem"), (get_att("RateLimitsTable"),)),
        Statement(("dynamodb:PutItem",), (get_att("SessionsTable"),)),
        Statement(
            ("secretsmanager:GetSecretValue",),
            (ref("AccessTokenSigningKeys"), ref("RefreshTokenSigningKeys"), ref("PendingTokenSigningKeys")),
        ),
        Statement(
            ("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"),
            (ref("AccessTokenPublicKeys"), ref("PendingTokenPublicKeys")),
            why="Generation 0's public half, once, while the public set is still a placeholder.",
        ),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "EmailCodeFunction": (
        Statement(("dynamodb:UpdateItem",), (get_att("RateLimitsTable"),)),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "VerifyEmailCodeFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem", "dynamodb:UpdateItem"),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["EMAIL#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "credentialsOrganizationId",
                        "signInCodeHash",
                        "signInCodeExpiresAt",
                    ]
                },
            },
            why=(
                "The email's sign-in code (never the password hash), spent on it; the user item, never the "
                "TOTP secrets, marked verified."
            ),
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                        "passkeys",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
        ),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
        ),
        Statement(("dynamodb:UpdateItem", "dynamodb:DeleteItem"), (get_att("RateLimitsTable"),)),
        Statement(("dynamodb:PutItem",), (get_att("SessionsTable"),)),
        Statement(
            ("secretsmanager:GetSecretValue",),
            (ref("AccessTokenSigningKeys"), ref("RefreshTokenSigningKeys"), ref("PendingTokenSigningKeys")),
        ),
        Statement(
            ("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"),
            (ref("AccessTokenPublicKeys"), ref("PendingTokenPublicKeys")),
            why="Generation 0's public half, once, while the public set is still a placeholder.",
        ),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "ResetPasswordFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem", "dynamodb:UpdateItem"),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
        ),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["EMAIL#*"]}},
        ),
        Statement(
            ("dynamodb:Query",),
            ({"Fn::Sub": "${AccountsTable.Arn}/index/ByOrganization"},),
            why=(
                "Reclaiming an account set up on a never-verified address (docs/security/recovery.md): the "
                "organization's other members removed, its invitations revoked, its settings reset."
            ),
        ),
        Statement(
            ("dynamodb:DeleteItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*", "EMAIL#*"]}},
        ),
        Statement(
            ("dynamodb:GetItem", "dynamodb:UpdateItem"),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["ORG#*"]}},
        ),
        Statement(("dynamodb:Query",), ({"Fn::Sub": "${InvitationsTable.Arn}/index/ByOrganization"},)),
        Statement(("dynamodb:UpdateItem", "dynamodb:DeleteItem"), (get_att("InvitationsTable"),)),
        Statement(("dynamodb:UpdateItem", "dynamodb:DeleteItem"), (get_att("RateLimitsTable"),)),
        Statement(("dynamodb:Query", "dynamodb:UpdateItem"), (get_att("SessionsTable"),)),
        Statement(("dynamodb:Query",), ({"Fn::Sub": "${ApiKeysTable.Arn}/index/ByOrganization"},)),
        Statement(("dynamodb:UpdateItem",), (get_att("ApiKeysTable"),)),
        Statement(("secretsmanager:GetSecretValue",), (ref("TotpKeySecret"),)),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "ChangePasswordFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem", "dynamodb:UpdateItem"),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["EMAIL#*"]}},
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
        ),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "pendingEmail",
                        "emailTokenHash",
                        "emailTokenExpiresAt",
                        "approveTokenHash",
                        "approveTokenExpiresAt",
                        "emailChangeApproved",
                        "emailChangeConfirmed",
                    ]
                },
            },
            why="A pending email change is void (accounts.void_email_change).",
        ),
        Statement(("dynamodb:UpdateItem", "dynamodb:DeleteItem"), (get_att("RateLimitsTable"),)),
        Statement(("dynamodb:Query", "dynamodb:UpdateItem"), (get_att("SessionsTable"),)),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "ChangeEmailFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["EMAIL#*"]}},
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
        ),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
        ),
        Statement(("dynamodb:UpdateItem", "dynamodb:DeleteItem"), (get_att("RateLimitsTable"),)),
        Statement(("sqs:SendMessage",), (get_att("MailQueue"),)),
    ),
    "CancelEmailChangeFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                        "verifyTokenHash",
                        "verifyTokenExpiresAt",
                        "verifyTokenSpent",
                        "resetTokenHash",
                        "resetTokenExpiresAt",
                        "resetTokenSpent",
                        "emailTokenHash",
                        "emailTokenExpiresAt",
                        "emailTokenSpent",
                        "approveTokenHash",
                        "approveTokenExpiresAt",
                        "approveTokenSpent",
                        "emailChangeApproved",
                        "emailChangeConfirmed",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
        ),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
        ),
    ),
    "DeleteAccountFunction": (
        Statement(
            ("dynamodb:PutItem",),
            (get_att("AuditEventsTable"),),
            why="Its audit events: appended, never read, changed or deleted.",
        ),
        Statement(
            ("dynamodb:GetItem", "dynamodb:DeleteItem"),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["EMAIL#*"]}},
        ),
        Statement(
            ("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
        ),
        Statement(
            ("dynamodb:Query",),
            ({"Fn::Sub": "${AccountsTable.Arn}/index/ByOrganization"},),
            why="Who else is in the organization (the sole-admin rule).",
        ),
        Statement(
            ("dynamodb:DeleteItem", "dynamodb:UpdateItem"),
            (get_att("AccountsTable"),),
            condition={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["ORG#*"]}},
            why="Its organization, when the user was its last member; else an admin's count.",
        ),
        Statement(("dynamodb:UpdateItem", "dynamodb:DeleteItem"), (get_att("RateLimitsTable"),)),
        Statement(("dynamodb:Query", "dynamodb:UpdateItem"), (get_att("SessionsTable"),)),
        Statement(("dynamodb:Query",), ({"Fn::Sub": "${ApiKeysTable.Arn}/index/ByOrganization"},)),
        Statement(("dynamodb:UpdateItem",), (get_att("ApiKeysTable"),)),
        Statement(("dynamodb:Query", "dynamodb:BatchWriteItem"), (get_att("AssessmentsTable"),)),
        Statement(("dynamodb:Query",), ({"Fn::Sub": "${CandidatesTable.Arn}/index/ByOrganization"},)),
        Statement(("dynamodb:BatchWriteItem",), (get_att("CandidatesTable"),)),
        Statement(("secretsmanager:GetSecretValue",), (ref("TotpKeySecret"),)),
        Statement(
            ("dynamodb:Query",),
            ({"Fn::Sub": "${InvitationsTable.Arn}/index/ByOrganization"},),
            why="The invitations the member sent: revoked with them.",
        ),
        Statement(("dynamodb:UpdateItem", "dynamodb:DeleteItem"), (get_att("InvitationsTable"),)),
    ),
    "JwksFunction": (Statement(("secretsmanager:GetSecretValue",), (ref("AccessTokenPublicKeys"),)),),
    "RotateSigningKeysFunction": (
        Statement(
            ("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"),
            (
                ref("AccessTokenSigningKeys"),
                ref("RefreshTokenSigningKeys"),
                ref("PendingTokenSigningKeys"),
                ref("ResultTokenSigningKeys"),
                ref("AccessTokenPublicKeys"),
                ref("PendingTokenPublicKeys"),
                ref("ResultTokenPublicKeys"),
            ),
        ),
    ),
    "SendMailFunction": (
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["EMAIL#*"]},
                "ForAllValues:StringEquals": {"dynamodb:Attributes": ["pk", "userId"]},
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
            why=(
                "Its jobs (latchkey.usecases.recovery.prepare): whose account an email is (never the password "
                "hash), the user's address and name, and a new reset token on the user item (`email` in its "
                "condition: stored only while the account still has the address the link is mailed to)."
            ),
        ),
        Statement(
            ("dynamodb:GetItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "userId",
                        "email",
                        "name",
                        "role",
                        "plan",
                        "organizationId",
                        "createdAt",
                        "totpEnabled",
                        "signedOutAt",
                        "emailVerified",
                        "pendingEmail",
                    ]
                },
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
        ),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": [
                        "pk",
                        "email",
                        "resetTokenHash",
                        "resetTokenExpiresAt",
                        "magicTokenHash",
                        "magicTokenExpiresAt",
                    ]
                },
            },
        ),
        Statement(
            ("dynamodb:UpdateItem",),
            (get_att("AccountsTable"),),
            condition={
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["EMAIL#*"]},
                "ForAllValues:StringEquals": {
                    "dynamodb:Attributes": ["pk", "userId", "signInCodeHash", "signInCodeExpiresAt"]
                },
            },
            why="A new sign-in code on the email's credentials item, for that email's user only.",
        ),
        Statement(
            ("ses:SendEmail",),
            (
                {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${MailFromAddress}"},
                {
                    "Fn::Sub": [
                        "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${Domain}",
                        {"Domain": {"Fn::Select": [1, {"Fn::Split": ["@", ref("MailFromAddress")]}]}},
                    ]
                },
                {
                    "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:"
                    "configuration-set/${SesConfigurationSet}"
                },
            ),
            condition={"StringEquals": {"ses:FromAddress": ref("MailFromAddress")}},
            why="SES authorizes against the identity that covers the sender: the address, or its domain.",
        ),
    ),
}


def policies(function_logical_id: str) -> list[Statement]:
    """The IAM statements of one function, in the order the template lists them; [] for none."""
    return list(_STATEMENTS.get(function_logical_id, ()))
