"""Each events/*.json payload through its own handler, under moto, with tables from template.yaml."""

import json

import pytest

from latchkey.rules import tokens
from latchkey.store.token_keys import verifying_context
from tests.handlers.conftest import body_of, invoke, signed_in_event
from tests.support import PASSWORD, load_event


def test_register_sample_creates_the_user_and_signs_them_in(registered):
    email, data = registered
    assert data["user"]["email"] == email and data["user"]["role"] == "ADMIN"
    assert data["user"]["id"].startswith("user_") and data["user"]["organizationId"].startswith("org_")
    assert data["accessToken"] == data["token"] and data["tokenType"] == "Bearer" and data["expiresIn"] == 900


def test_register_sample_twice_is_a_conflict(local_api, registered):
    email, _ = registered
    event = load_event("register")
    event["body"] = json.dumps({**json.loads(event["body"]), "email": email.upper()})
    response = invoke(local_api, "RegisterFunction", event)
    assert response["statusCode"] == 409 and body_of(response)["error"]["code"] == "EMAIL_TAKEN"


def test_login_sample_returns_both_clients_field_names(local_api, registered):
    email, _ = registered
    event = load_event("login")
    event["body"] = json.dumps({"email": email, "password": PASSWORD})
    response = invoke(local_api, "LoginFunction", event)
    data = body_of(response)["data"]
    assert response["statusCode"] == 200
    assert {"accessToken", "token", "refreshToken", "expiresIn", "tokenType", "user"} <= data.keys()
    claims = tokens.verify(verifying_context(tokens.ACCESS), data["accessToken"], tokens.ACCESS)
    assert claims["sub"] == data["user"]["id"]


def test_me_sample_answers_the_authorizers_user(local_api, registered):
    _, data = registered
    response = invoke(local_api, "MeFunction", signed_in_event("me", data["user"]))
    assert response["statusCode"] == 200 and body_of(response)["data"] == {**data["user"], "pendingEmail": None}


def test_fallback_sample_is_a_405_naming_the_allowed_methods(local_api):
    response = invoke(local_api, "FallbackFunction", load_event("fallback"))
    assert response["statusCode"] == 405 and response["headers"]["Allow"] == "POST"


def test_authorizer_sample_with_a_fresh_token_allows_exactly_its_method_arn(local_api, registered):
    _, data = registered
    event = load_event("authorizer")
    event["headers"]["Authorization"] = f"Bearer {data['accessToken']}"
    answer = invoke(local_api, "AuthorizerFunction", event)
    assert answer["policyDocument"]["Statement"] == [
        {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": event["methodArn"]}]
    assert answer["context"]["userId"] == data["user"]["id"]


def test_authorizer_sample_as_shipped_is_denied_with_a_reason(local_api):
    answer = invoke(local_api, "AuthorizerFunction", load_event("authorizer"))
    assert answer["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert answer["context"] == {"code": "INVALID_TOKEN", "message": "Token is malformed"}


def test_authorizer_that_cannot_verify_fails_without_a_deny(local_api, monkeypatch):
    """Neither Allow nor Deny: it raises, which API Gateway answers with AUTHORIZER_FAILURE (503 in the
    template), so a client does not take a bug or an outage for a bad credential and sign out."""
    import latchkey.rules.tokens

    def broken(*_args):
        raise RuntimeError("secrets manager is down")

    monkeypatch.setattr(latchkey.rules.tokens, "verify", broken)
    event = load_event("authorizer")
    with pytest.raises(Exception) as raised:
        invoke(local_api, "AuthorizerFunction", event)
    assert type(raised.value).__name__ == "DependencyUnavailable"
    assert "secrets manager is down" not in str(raised.value)  # the type only, never a message








