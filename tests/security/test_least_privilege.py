"""Each function's IAM policy (template.yaml) is enforced on its AWS calls in the local runtime, and
grants no wildcard: a function can touch only the tables and actions it names. Read from the
template: who may mint each kind of token, and who may read password hashes and sealed TOTP secrets
(IAM conditions on the accounts table's leading keys and attributes, evaluated as the local runtime
evaluates them on every call)."""

import pytest
from botocore.exceptions import ClientError

from local import iam
from local import policy as policy_module
from local.template import Template


def policies_of(local_api, logical_id):
    return local_api.functions[logical_id].policies


def test_a_call_outside_the_functions_policy_is_denied_like_aws(local_api):
    from latchkey.settings import get_settings
    from latchkey.store.accounts_table import get_user
    from latchkey.store.dynamodb import client

    settings = get_settings()
    with iam.running_as(policies_of(local_api, "MeFunction")):
        assert get_user("nobody") is None  # a user item, through the projection its policy names
        with pytest.raises(ClientError) as denied:  # the whole item: Select is ALL_ATTRIBUTES
            client.get_item(TableName=settings.accounts_table, Key={"pk": {"S": "USER#nobody"}})
        assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
        with pytest.raises(ClientError) as denied:
            client.put_item(TableName=settings.accounts_table, Item={"pk": {"S": "USER#evil"}})
        assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
        with pytest.raises(ClientError):
            client.query(TableName=settings.audit_events_table, KeyConditionExpression="organizationId = :o",
                         ExpressionAttributeValues={":o": {"S": "org_x"}})


TEMPLATE = Template.load()
FUNCTIONS = TEMPLATE.functions()
SESSION_SIGNERS = {"RegisterFunction", "LoginFunction", "RefreshFunction", "VerifyTwoFactorFunction",
                   "ReauthenticateFunction", "AcceptInvitationFunction", "VerifyMagicLinkFunction",
                   "VerifyEmailCodeFunction", "PasskeyLoginFunction", "OAuthCallbackFunction", "OAuthTokenFunction"}
FIRST_FACTORS = {"LoginFunction", "VerifyMagicLinkFunction", "VerifyEmailCodeFunction",  # may answer requires2FA
                 "OAuthCallbackFunction"}
ROTATION = "RotateSigningKeysFunction"


def secret_arn(logical_id):
    return TEMPLATE.resolve({"Ref": logical_id})


def may(action, resource):
    return {name for name, f in FUNCTIONS.items() if iam.allowed(f.policies, action, resource)}


@pytest.mark.parametrize("key_set, signers", [
    ("AccessTokenSigningKeys", SESSION_SIGNERS),
    # OAuth's revocation checks an app's refresh token with the set (refresh tokens have no public one).
    ("RefreshTokenSigningKeys", SESSION_SIGNERS | {"OAuthRevokeFunction"}),
    ("PendingTokenSigningKeys", FIRST_FACTORS),
    ("ResultTokenSigningKeys", {"CompleteAssessmentFunction"}),
    ("IdTokenSigningKeys", {"OAuthTokenFunction"}),
    ("GatewayTokenSigningKeys", {"OAuthTokenFunction"}),
])
def test_each_token_purpose_is_minted_only_where_it_must_be(key_set, signers):
    """The completion and exchange functions cannot mint access tokens; the authorizer mints nothing."""
    assert may("secretsmanager:GetSecretValue", secret_arn(key_set)) == signers | {ROTATION}
    assert may("secretsmanager:PutSecretValue", secret_arn(key_set)) == {ROTATION}


def test_verifiers_hold_public_keys_only():
    for verifier, public in (("AuthorizerFunction", {"AccessTokenPublicKeys"}),
                             ("JwksFunction", {"AccessTokenPublicKeys", "IdTokenPublicKeys", "GatewayTokenPublicKeys"}),
                             ("ExchangeResultFunction", {"ResultTokenPublicKeys"})):
        policies = FUNCTIONS[verifier].policies
        for key_set in public:
            assert iam.allowed(policies, "secretsmanager:GetSecretValue", secret_arn(key_set))
            assert not iam.allowed(policies, "secretsmanager:PutSecretValue", secret_arn(key_set))
        readable = {k for k in TEMPLATE.of_type("AWS::SecretsManager::Secret")
                    if iam.allowed(policies, "secretsmanager:GetSecretValue", secret_arn(k))}
        assert readable == public, verifier


# --- credentials: IAM conditions on the accounts table, evaluated by the local runtime's evaluator ---

def can(function, action, table, leading_key, attributes, returns="NONE") -> bool:
    """Whether `function` may call `action` on the item `leading_key` of `table`, touching `attributes`
    (a read without a projection touches every attribute the item has)."""
    arn = TEMPLATE.resolve({"Fn::GetAtt": [table, "Arn"]})
    context = policy_module.RequestContext(
        {"dynamodb:LeadingKeys": [leading_key], "dynamodb:Attributes": sorted(attributes),
         "dynamodb:ReturnValues": [returns], "dynamodb:Select": ["SPECIFIC_ATTRIBUTES"]},
        frozenset({"dynamodb:LeadingKeys", "dynamodb:Attributes", "dynamodb:ReturnValues", "dynamodb:Select"}))
    return iam.allowed(FUNCTIONS[function].policies, action, arn, context)


CREDENTIALS_ITEM = {"pk", "userId", "passwordHash"}
USER_ITEM = {"pk", "userId", "email", "name", "role", "plan", "organizationId", "createdAt", "totpEnabled",
             "totpSecret", "totpPending", "totpLastStep", "recoveryCodeHashes", "signedOutAt"}
READS = ("dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem")


def test_only_functions_that_check_passwords_can_read_password_hashes():
    readers = {name for name in FUNCTIONS for action in READS
               if can(name, action, "AccountsTable", "EMAIL#ada@example.com", CREDENTIALS_ITEM)}
    assert readers == {"LoginFunction", "EnableTwoFactorFunction", "DisableTwoFactorFunction", "ReauthenticateFunction",
                       "ChangePasswordFunction", "ChangeEmailFunction", "DeleteAccountFunction",
                       "VerifyEmailFunction",  # an email change moves the hash to the new address's item
                       "AdminExportUsersFunction"}  # the admin API's export: every hash, by design


def test_only_functions_that_check_totp_codes_can_read_sealed_totp_secrets():
    readers = {name for name in FUNCTIONS for action in READS
               if can(name, action, "AccountsTable", "USER#user_1", USER_ITEM)}
    assert readers == {"EnableTwoFactorFunction", "DisableTwoFactorFunction", "VerifyTwoFactorFunction",
                       "ReauthenticateFunction", "ResetPasswordFunction", "DeleteAccountFunction",
                       "AdminExportUsersFunction"}  # it seals each secret again, to the export's recipient
    # Others read a user item through a projection that leaves the secrets out (accounts_table.get_user).
    from latchkey.store.accounts_table import USER_PUBLIC_ATTRIBUTES

    for name in ("MeFunction", "LoginFunction", "SetupTwoFactorFunction", "SendMailFunction"):
        assert can(name, "dynamodb:GetItem", "AccountsTable", "USER#user_1", set(USER_PUBLIC_ATTRIBUTES)), name
        assert not can(name, "dynamodb:GetItem", "AccountsTable", "USER#user_1", {"pk", "totpSecret"}), name
    for name in ("GetOrganizationFunction", "CompleteAssessmentFunction"):
        assert not can(name, "dynamodb:GetItem", "AccountsTable", "USER#user_1", {"pk"}), name
        assert can(name, "dynamodb:GetItem", "AccountsTable", "ORG#org_1", {"pk", "name"}), name


def test_functions_that_read_a_users_tokens_may_read_every_attribute_that_read_projects():
    """accounts_table.get_user_with_tokens projects USER_TOKEN_ATTRIBUTES; a policy missing one of them
    refuses the whole read on AWS (the cancel link once did: the magic-link token's attributes)."""
    from latchkey.store.accounts_table import USER_TOKEN_ATTRIBUTES

    for name in ("VerifyEmailFunction", "ResendVerificationFunction", "VerifyMagicLinkFunction",
                 "CancelEmailChangeFunction"):
        assert can(name, "dynamodb:GetItem", "AccountsTable", "USER#user_1", set(USER_TOKEN_ATTRIBUTES)), name
        assert not can(name, "dynamodb:GetItem", "AccountsTable", "USER#user_1", {"pk", "passwordHash"}), name


def test_the_authorizer_may_record_a_keys_last_use_but_not_revoke_or_restore_it():
    key = "0" * 64
    assert can("AuthorizerFunction", "dynamodb:UpdateItem", "ApiKeysTable", key, {"keyHash", "lastUsedAt"})
    for attribute in ("revokedAt", "expiresAt", "scopes", "role", "organizationId"):
        assert not can("AuthorizerFunction", "dynamodb:UpdateItem", "ApiKeysTable", key, {"keyHash", attribute})
    assert not can("AuthorizerFunction", "dynamodb:UpdateItem", "ApiKeysTable", key, {"keyHash", "lastUsedAt"},
                   returns="ALL_OLD")
    assert not can("AuthorizerFunction", "dynamodb:PutItem", "ApiKeysTable", key, {"keyHash"})
    assert not can("AuthorizerFunction", "dynamodb:DeleteItem", "ApiKeysTable", key, {"keyHash"})


def test_no_policy_statement_uses_a_wildcard():
    for name, function in Template.load().functions().items():
        for policy in function.policies:
            assert isinstance(policy, dict), f"{name}: only inline statements, evaluated locally"
            for statement in policy["Statement"]:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                assert all("*" not in a for a in actions), name
                # The object prefixes named with a wildcard, each in a bucket of its own: an export's file
                # (a new key each) and the files the import worker reads (the operator's own names).
                resources = statement["Resource"]
                resources = [r for r in (resources if isinstance(resources, list) else [resources])
                             if not str(r).endswith(("-exports-123456789012-us-east-1/exports/*",
                                                     "-imports-123456789012-us-east-1/imports/*"))]
                assert "*" not in str(resources), name


def test_no_scan_is_granted_under_a_leading_keys_condition():
    """A Scan has no leading keys, so a `ForAllValues:` condition on them holds for every Scan: it would
    read every item of the table (DynamoDB Developer Guide: leave Scan out of such a statement)."""
    for name, function in FUNCTIONS.items():
        for policy in function.policies:
            for statement in policy["Statement"]:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                keys = {key for tests in (statement.get("Condition") or {}).values() for key in tests}
                assert not ("dynamodb:Scan" in actions and "dynamodb:LeadingKeys" in keys), name
