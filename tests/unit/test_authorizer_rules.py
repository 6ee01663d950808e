"""The authorizer's rules: which credential a request presents, and the policies it renders."""

import json

import pytest

from latchkey import authorizer, tokens
from latchkey.errors import InvalidToken, NoBearerToken, SessionRevoked, WrongTokenType
from latchkey.models import Principal

CTX = tokens.TokenContext(key=b"k" * 64, issuer="latchkey:dev", audience="latchkey-api:dev")
ARN = "arn:aws:execute-api:us-east-1:123456789012:abc/dev/GET/v1/auth/me"
KEY = "pk_live_" + "a" * 64


def live(user_id, session_id):
    return None


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": ""}, {"Authorization": "Bearer"}, {"Authorization": "Bearer   "},
     {"Authorization": "Token abc"}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "eyJhbGciOi.x.y"}],
)
def test_requests_without_a_bearer_token_are_told_so(headers):
    with pytest.raises(NoBearerToken) as refused:
        authorizer.credential(headers)
    assert refused.value.message == "No bearer token"


def test_bearer_scheme_is_case_insensitive_and_header_name_too():
    assert authorizer.credential({"authorization": "bearer abc"}) == authorizer.Credential("jwt", "abc")


def test_api_keys_are_recognised_in_both_headers():
    assert authorizer.credential({"X-API-Key": KEY}).kind == "api_key"
    assert authorizer.credential({"Authorization": f"Bearer {KEY}"}).kind == "api_key"


def test_refresh_token_as_bearer_is_refused():
    refresh, _ = tokens.issue(CTX, tokens.REFRESH, 60, sub="u", org="o", role="ADMIN", sid="s")
    with pytest.raises(WrongTokenType):
        authorizer.authenticate({"Authorization": f"Bearer {refresh}"}, lambda: CTX, live)


def test_access_token_becomes_the_principal():
    access, claims = tokens.issue(CTX, tokens.ACCESS, 60, sub="user_1", org="org_1", role="ADMIN", sid="ses_1")
    principal = authorizer.authenticate({"Authorization": f"Bearer {access}"}, lambda: CTX, live)
    assert principal == Principal("user", "user_1", "org_1", "ADMIN", "ses_1", claims["jti"], claims["exp"])


def test_access_token_of_an_ended_session_is_refused():
    access, _ = tokens.issue(CTX, tokens.ACCESS, 60, sub="user_1", org="org_1", role="ADMIN", sid="ses_1")

    def ended(user_id, session_id):
        assert (user_id, session_id) == ("user_1", "ses_1")
        raise SessionRevoked()

    with pytest.raises(SessionRevoked):
        authorizer.authenticate({"Authorization": f"Bearer {access}"}, lambda: CTX, ended)


def test_allow_policy_names_only_the_method_arn_and_carries_string_context():
    policy = authorizer.allow(Principal("user", "user_1", "org_1", "ADMIN", "ses_1", "jti"), ARN)
    assert policy["policyDocument"]["Statement"] == [
        {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": ARN}]
    assert all(isinstance(v, str) for v in policy["context"].values())
    assert policy["context"]["organizationId"] == "org_1"


def test_deny_policy_carries_code_and_a_json_safe_message():
    policy = authorizer.deny(InvalidToken('bad "quoted" \\ text\nnext line', code="X"), ARN)
    assert policy["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    rendered = '{"message": "' + policy["context"]["message"] + '"}'
    assert json.loads(rendered)["message"] == 'bad "quoted" \\ text\nnext line'
    assert policy["context"]["code"] == "X"
