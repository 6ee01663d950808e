"""Each events/*.json payload through its own handler, under moto, with tables from template.yaml."""

import json
import logging
import time

import pytest

from latchkey.rules import tokens
from latchkey.store.secrets import verifying_context
from tests.conftest import PASSWORD, load_event, unique_email


def invoke(local_api, logical_id, event):
    from local.gateway import LambdaContext

    return local_api.handlers[logical_id](event, LambdaContext(local_api.functions[logical_id]))


def body_of(response):
    return json.loads(response["body"])


@pytest.fixture
def registered(local_api):
    event = load_event("register")
    email = unique_email("handler")
    event["body"] = json.dumps({**json.loads(event["body"]), "email": email})
    response = invoke(local_api, "RegisterFunction", event)
    assert response["statusCode"] == 201, response["body"]
    return email, body_of(response)["data"]


def signed_in_event(name, data):
    event = load_event(name)
    user = data["user"]
    event["requestContext"]["authorizer"].update(
        principalId=user["id"], userId=user["id"], organizationId=user["organizationId"], role=user["role"],
        authTime=str(int(time.time())))
    return event


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
    response = invoke(local_api, "MeFunction", signed_in_event("me", data))
    assert response["statusCode"] == 200 and body_of(response)["data"]["user"] == data["user"]


def test_assessment_samples_create_then_list_within_the_organization(local_api, registered):
    _, data = registered
    created = invoke(local_api, "CreateAssessmentFunction", signed_in_event("create_assessment", data))
    assert created["statusCode"] == 201, created["body"]
    listed = invoke(local_api, "ListAssessmentsFunction", signed_in_event("list_assessments", data))
    assert [a["id"] for a in body_of(listed)["data"]["assessments"]] == [body_of(created)["data"]["assessment"]["id"]]


def test_create_assessment_sample_is_refused_to_a_plain_member(local_api, registered):
    _, data = registered
    event = signed_in_event("create_assessment", data)
    event["requestContext"]["authorizer"]["role"] = "USER"
    response = invoke(local_api, "CreateAssessmentFunction", event)
    assert response["statusCode"] == 403 and body_of(response)["error"]["code"] == "ADMIN_ONLY"


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


def test_authorizer_fails_closed_when_it_cannot_verify(local_api, monkeypatch):
    import latchkey.rules.tokens

    def broken(*_args):
        raise RuntimeError("secrets manager is down")

    monkeypatch.setattr(latchkey.rules.tokens, "verify", broken)
    event = load_event("authorizer")
    answer = invoke(local_api, "AuthorizerFunction", event)
    assert answer["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert answer["context"]["code"] == "AUTHORIZER_ERROR"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


def test_no_password_or_token_reaches_a_log_line(local_api):
    from latchkey.edge.http import logger

    collect = _Collect()
    collect.setFormatter(logger.registered_handler.formatter)
    logger.addHandler(collect)
    try:
        email = unique_email("logs")
        register = load_event("register")
        register["body"] = json.dumps({"email": email, "password": PASSWORD, "name": "Log Check"})
        data = body_of(invoke(local_api, "RegisterFunction", register))["data"]
        bad_login = load_event("login")
        bad_login["body"] = json.dumps({"email": email, "password": "wrong " + PASSWORD})
        invoke(local_api, "LoginFunction", bad_login)
        invalid = load_event("register")
        invalid["body"] = json.dumps({"email": email, "password": "s3cr3t!", "name": 7})
        invoke(local_api, "RegisterFunction", invalid)
        authorizer = load_event("authorizer")
        authorizer["headers"]["Authorization"] = f"Bearer {data['refreshToken']}"
        invoke(local_api, "AuthorizerFunction", authorizer)
    finally:
        logger.removeHandler(collect)
    logs = "\n".join(collect.lines)
    assert len(collect.lines) >= 4
    for secret in (PASSWORD, "s3cr3t!", data["accessToken"], data["refreshToken"], data["refreshToken"].split(".")[2]):
        assert secret not in logs
    assert "$argon2" not in logs


def test_unknown_email_and_wrong_password_do_the_same_reads(local_api, registered):
    from latchkey.store.dynamodb import client

    email, _ = registered
    seen = []

    def record(model, params, **_):
        seen.append((model.name, params.get("TableName")))

    client.meta.events.register("before-call.dynamodb.*", record)
    try:
        calls = {}
        for label, address in (("known", email), ("unknown", unique_email("ghost"))):
            seen.clear()
            event = load_event("login")
            event["body"] = json.dumps({"email": address, "password": "wrong password entirely"})
            assert invoke(local_api, "LoginFunction", event)["statusCode"] == 401
            calls[label] = list(seen)
    finally:
        client.meta.events.unregister("before-call.dynamodb.*", record)
    assert calls["known"] == calls["unknown"]
    # the per-IP counter, the email's attempt counter, then one read of the credentials
    assert [name for name, _ in calls["known"]] == ["UpdateItem", "UpdateItem", "GetItem"]


def test_sign_up_that_loses_a_transaction_conflict_is_retried(local_api, monkeypatch):
    from latchkey.store import accounts_table

    real = accounts_table.client.transact_write_items
    attempts = []

    def conflicted_once(**kwargs):
        attempts.append(1)
        if len(attempts) == 1:
            raise accounts_table.client.exceptions.TransactionCanceledException(
                {"Error": {"Code": "TransactionCanceledException", "Message": "conflict"},
                 "CancellationReasons": [{"Code": "TransactionConflict"}, {"Code": "None"}, {"Code": "None"}]},
                "TransactWriteItems")
        return real(**kwargs)

    monkeypatch.setattr(accounts_table.client, "transact_write_items", conflicted_once)
    event = load_event("register")
    event["body"] = json.dumps({**json.loads(event["body"]), "email": unique_email("conflict")})
    response = invoke(local_api, "RegisterFunction", event)
    assert response["statusCode"] == 201 and len(attempts) == 2
