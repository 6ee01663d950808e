"""The authorizer's rules: which credential a request presents, and the policies it renders."""

import json

import pytest

from latchkey.edge import authorizer_policy
from latchkey.errors import InvalidToken, NoBearerToken, WrongStage
from latchkey.rules.records import Principal

ARN = "arn:aws:execute-api:us-east-1:123456789012:abc/dev/GET/v1/auth/me"
KEY = "pk_live_" + "a" * 64


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": ""}, {"Authorization": "Bearer"}, {"Authorization": "Bearer   "},
     {"Authorization": "Token abc"}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "eyJhbGciOi.x.y"}],
)
def test_requests_without_a_bearer_token_are_told_so(headers):
    with pytest.raises(NoBearerToken) as refused:
        authorizer_policy.credential(headers)
    assert refused.value.message == "No bearer token"


def test_bearer_scheme_is_case_insensitive_and_header_name_too():
    assert authorizer_policy.credential({"authorization": "bearer abc"}) == authorizer_policy.Credential("jwt", "abc")


def test_api_keys_are_recognised_in_both_headers():
    assert authorizer_policy.credential({"X-API-Key": KEY}).kind == "api_key"
    assert authorizer_policy.credential({"Authorization": f"Bearer {KEY}"}).kind == "api_key"


def by_kind(kind):
    def verify(value):
        return Principal(kind, "user_1", "org_1", "ADMIN", token_id=value)

    return verify


@pytest.mark.parametrize(
    "headers, kind",
    [({"Authorization": "Bearer eyJ.a.b"}, "user"), ({"X-API-Key": KEY}, "api_key"),
     ({"Authorization": f"Bearer {KEY}"}, "api_key")],
)
def test_each_credential_goes_to_the_use_case_that_owns_it(headers, kind):
    principal = authorizer_policy.authenticate(headers, access_token=by_kind("user"), api_key=by_kind("api_key"))
    assert principal.kind == kind


def test_routes_the_map_does_not_protect_are_refused_by_the_authorizer():
    assert authorizer_policy.protected_route("GET", "/v1/auth/me").path == "/v1/auth/me"
    for method, resource in (("GET", "/v1/unknown"), ("POST", "/v1/auth/login"), ("PUT", "/v1/auth/me")):
        with pytest.raises(InvalidToken) as refused:
            authorizer_policy.protected_route(method, resource)
        assert refused.value.code == "ROUTE_NOT_PROTECTED"


def test_allow_policy_names_only_the_method_arn_and_carries_string_context():
    policy = authorizer_policy.allow(Principal("user", "user_1", "org_1", "ADMIN", "ses_1", "jti"), ARN)
    assert policy["policyDocument"]["Statement"] == [
        {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": ARN}]
    assert all(isinstance(v, str) for v in policy["context"].values())
    assert policy["context"]["organizationId"] == "org_1"


def test_deny_policy_carries_code_and_a_json_safe_message():
    policy = authorizer_policy.deny(WrongStage('bad "quoted" \\ text\nnext line'), ARN)
    assert policy["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    rendered = '{"message": "' + policy["context"]["message"] + '"}'
    assert json.loads(rendered)["message"] == 'bad "quoted" \\ text\nnext line'
    assert policy["context"]["code"] == "WRONG_STAGE"


def test_both_credentials_at_once_are_refused_and_an_empty_api_key_header_is_ignored():
    with pytest.raises(InvalidToken) as refused:
        authorizer_policy.credential({"X-API-Key": "pk_live_x", "Authorization": "Bearer abc"})
    assert refused.value.code == "AMBIGUOUS_CREDENTIALS"
    assert authorizer_policy.credential({"X-API-Key": " ", "Authorization": "Bearer abc"}).kind == "jwt"
