"""What CloudFormation makes of template.yaml after SAM's transform: one stage, preflights the gateway
answers itself, data that survives a stack deletion in prod, logs with a retention, CORS on every
gateway response."""

from __future__ import annotations

import json
import os

import pytest
from cfnlint.decode import cfn_yaml

from tests.support import ROOT

TEMPLATE = cfn_yaml.loads((ROOT / "template.yaml").read_text(), "template.yaml")
RESOURCES = TEMPLATE["Resources"]


@pytest.fixture(scope="module")
def transformed() -> dict:
    """The template as SAM's translator turns it into CloudFormation (what `sam deploy` submits)."""
    from samtranslator.translator.transform import transform

    doc = json.loads(json.dumps(TEMPLATE, default=str))
    doc["Transform"] = "AWS::Serverless-2016-10-31"  # LanguageExtensions runs first in AWS; only policies use it
    for resource in doc["Resources"].values():
        resource.pop("DeletionPolicy", None)
        resource.pop("UpdateReplacePolicy", None)
        for key in ("CodeUri", "ContentUri"):
            if key in resource.get("Properties", {}):
                resource["Properties"][key] = "s3://bucket/key"  # what `sam package` puts there

    class NoManagedPolicies:
        def load(self) -> dict:
            return {}

    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    return transform(doc, {}, NoManagedPolicies())


def test_the_api_has_exactly_one_stage(transformed):
    stages = [r for r in transformed["Resources"].values() if r["Type"] == "AWS::ApiGateway::Stage"]
    assert len(stages) == 1  # without OpenApiVersion SAM adds a second one named "Stage"


def test_preflights_are_mock_integrations_outside_the_authorizer(transformed):
    (api,) = [r for r in transformed["Resources"].values() if r["Type"] == "AWS::ApiGateway::RestApi"]
    paths = api["Properties"]["Body"]["paths"]
    for path, methods in paths.items():
        options = methods["options"]
        assert options["x-amazon-apigateway-integration"]["type"] == "mock", path
        assert "security" not in options, f"{path}: a preflight carries no credential"


def test_every_gateway_response_carries_the_cors_headers():
    responses = RESOURCES["LatchkeyApi"]["Properties"]["GatewayResponses"]
    for kind, response in responses.items():
        headers = response["ResponseParameters"]["Headers"]
        assert headers["Access-Control-Allow-Origin"] == {"Fn::Sub": "'${CorsAllowedOrigin}'"}, kind
        assert headers["Vary"] == "'Origin'", kind


def test_tables_and_secrets_are_retained_in_prod():
    kept = [r for r in RESOURCES.values() if r["Type"] in ("AWS::DynamoDB::Table", "AWS::SecretsManager::Secret")]
    assert kept
    for resource in kept:
        for policy in ("DeletionPolicy", "UpdateReplacePolicy"):
            assert resource[policy] == {"Fn::If": ["IsProd", "Retain", "Delete"]}
    assert "AWS::LanguageExtensions" in TEMPLATE["Transform"]  # what lets those policies use Fn::If


def test_every_function_logs_to_a_declared_group_with_a_retention():
    group = TEMPLATE["Globals"]["Function"]["LoggingConfig"]["LogGroup"]
    assert RESOURCES[group["Ref"]]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    for name, resource in RESOURCES.items():
        if resource["Type"] == "AWS::Serverless::Function":
            assert "LoggingConfig" not in resource["Properties"], f"{name} must use the declared group"


def test_access_logs_can_be_turned_on_in_a_fresh_account():
    assert RESOURCES["ApiGatewayAccount"]["Condition"] == "CreateLoggingRole"
    assert RESOURCES["AccessLogGroup"]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
