"""Lambda's Invoke, locally (`local.lambda_api`): boto3's Lambda client, pointed at the endpoint as the
sandboxes are (AWS_ENDPOINT_URL_LAMBDA), gets a function's answer by name or ARN, a function error in
Lambda's shape, and ResourceNotFoundException for a function the stack does not know. Only the functions
that ask the team's migration function may invoke it."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from local import policy
from local.constants import REGION
from local.lambda_api import LocalLambda, function_arn
from local.lambda_runtime import Outcome
from local.template import Template


@pytest.fixture
def lam():
    def invoke(name: str, event: dict) -> Outcome:
        if event.get("raise"):
            return Outcome("error", error="Bad user or password")
        return Outcome("ok", {"asked": name, "event": event})

    api = LocalLambda(lambda: {"Legacy"}, invoke)
    yield boto3.client("lambda", endpoint_url=api.endpoint, region_name=REGION,
                       aws_access_key_id="local", aws_secret_access_key="local")
    api.stop()


def test_a_known_function_answers_by_name_or_arn(lam):
    for name in ("Legacy", function_arn("Legacy"), function_arn("Legacy") + ":$LATEST"):
        answer = lam.invoke(FunctionName=name, Payload=json.dumps({"userName": "ada@legacy.example"}))
        assert "FunctionError" not in answer
        assert json.loads(answer["Payload"].read()) == {"asked": "Legacy", "event": {"userName": "ada@legacy.example"}}


def test_a_function_error_and_an_unknown_function_answer_as_lambda_does(lam):
    failed = lam.invoke(FunctionName="Legacy", Payload=json.dumps({"raise": True}))
    assert failed["FunctionError"] == "Unhandled"
    assert json.loads(failed["Payload"].read())["errorMessage"] == "Bad user or password"
    with pytest.raises(ClientError) as unknown:
        lam.invoke(FunctionName=function_arn("SomeoneElse"), Payload="{}")
    assert unknown.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_only_the_sign_in_and_the_mailer_may_invoke_the_migration_function():
    arn = function_arn("LocalUserMigration")
    functions = Template.load(overrides={"UserMigrationFunctionArn": arn}).functions()
    allowed = {name for name, f in functions.items()
               if policy.allows([s for p in f.policies for s in p["Statement"]], "lambda:InvokeFunction", arn)}
    assert allowed == {"LoginFunction", "SendMailFunction"}
