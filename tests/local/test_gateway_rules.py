"""The local runtime's copy of API Gateway's rules: resource matching and IAM policy evaluation."""

import pytest

from local.gateway import _match_resource, _render
from local.policy import allows

ARN = "arn:aws:execute-api:us-east-1:123456789012:local/dev/GET/v1/items/42"


def statement(effect, resource, action="execute-api:Invoke"):
    return {"Effect": effect, "Action": action, "Resource": resource}


@pytest.mark.parametrize(
    "statements, allowed",
    [
        ([statement("Allow", ARN)], True),
        ([statement("Allow", "arn:aws:execute-api:us-east-1:123456789012:local/dev/*")], True),
        ([statement("Allow", "arn:aws:execute-api:*:*:local/dev/GET/v1/items/*")], True),
        ([statement("Allow", "arn:aws:execute-api:us-east-1:123456789012:local/dev/POST/*")], False),
        ([statement("Allow", "arn:aws:execute-api:us-east-1:123456789012:local/dev/GET/v1/items/4?")], True),
        ([statement("Allow", ARN), statement("Deny", "*")], False),
        ([statement("Deny", ARN)], False),
        ([statement("Allow", ARN, action="execute-api:*")], True),
        ([statement("Allow", ARN, action="s3:GetObject")], False),
        ([statement("Allow", [ARN, "other"], action=["execute-api:Invoke"])], True),
        ([], False),
    ],
)
def test_policy_is_evaluated_like_iam(statements, allowed):
    assert allows(statements, "execute-api:Invoke", ARN) is allowed


def test_literal_segment_beats_parameter_which_beats_greedy_proxy():
    segments = ["v1", "items", "mine"]
    literal = _match_resource("/v1/items/mine", segments)
    param = _match_resource("/v1/items/{id}", segments)
    greedy = _match_resource("/{proxy+}", segments)
    assert literal[0] > param[0] > greedy[0]
    assert param[1] == {"id": "mine"} and greedy[1] == {"proxy": "v1/items/mine"}
    assert _match_resource("/v1/items", segments) is None


def test_gateway_response_template_substitutes_authorizer_context_and_error():
    body = _render('{"code": "$context.authorizer.code", "m": $context.error.messageString}', "ACCESS_DENIED",
                   "Denied", {"code": "TOKEN_EXPIRED"})
    assert body == '{"code": "TOKEN_EXPIRED", "m": "Denied"}'
