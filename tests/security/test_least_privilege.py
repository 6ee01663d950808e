"""Each function's IAM policy (template.yaml) is enforced on its AWS calls in the local runtime, and
grants no wildcard: a function can touch only the tables and actions it names."""

import pytest
from botocore.exceptions import ClientError

from local import iam
from local.template import Template


def policies_of(local_api, logical_id):
    return local_api.functions[logical_id].policies


def test_a_call_outside_the_functions_policy_is_denied_like_aws(local_api):
    from latchkey.settings import get_settings
    from latchkey.store.dynamodb import client

    settings = get_settings()
    with iam.running_as(policies_of(local_api, "MeFunction")):
        client.get_item(TableName=settings.accounts_table, Key={"pk": {"S": "USER#nobody"}})
        with pytest.raises(ClientError) as denied:
            client.put_item(TableName=settings.accounts_table, Item={"pk": {"S": "USER#evil"}})
        assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
        with pytest.raises(ClientError):
            client.query(TableName=settings.assessments_table, KeyConditionExpression="organizationId = :o",
                         ExpressionAttributeValues={":o": {"S": "org_x"}})


def test_only_functions_that_sign_tokens_may_read_the_signing_key(local_api):
    secret_arn = local_api.functions["LoginFunction"].environment["SIGNING_KEY_SECRET_ARN"]
    readers = {name for name, f in local_api.functions.items()
               if iam.allowed(f.policies, "secretsmanager:GetSecretValue", secret_arn)}
    assert readers == {"AuthorizerFunction", "RegisterFunction", "LoginFunction", "RefreshFunction",
                       "VerifyTwoFactorFunction", "CompleteAssessmentFunction", "ExchangeResultFunction"}


def test_no_policy_statement_uses_a_wildcard():
    for name, function in Template.load().functions().items():
        for policy in function.policies:
            assert isinstance(policy, dict), f"{name}: only inline statements, evaluated locally"
            for statement in policy["Statement"]:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                assert all("*" not in a for a in actions), name
                assert "*" not in str(statement["Resource"]), name
