"""Dependency faults moto never produces, injected into the stores' clients: DynamoDB, Secrets Manager
and the KMS key behind a secret throttled, timed out, unreachable or failing. On every kind of route
(the authorizer, a read, a write, a sign-in) each one answers 503 with Retry-After, never 401 or 500;
nothing is half written; and the same request sent again after the fault works."""

import json

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from local.gateway import LocalApi, Outcome
from local.template import TEMPLATE, Template
from tests.handlers.conftest import body_of, invoke, new_key, register, signed_in_event
from tests.support import PASSWORD, load_event, unique_email


def _client_error(code: str, status: int) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "injected"}, "ResponseMetadata": {"HTTPStatusCode": status}},
                       "Injected")


FAULTS = {
    "throttled": lambda: _client_error("ThrottlingException", 400),
    "over capacity": lambda: _client_error("ProvisionedThroughputExceededException", 400),
    "timed out": lambda: ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com"),
    "unreachable": lambda: EndpointConnectionError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com"),
    "failing": lambda: _client_error("InternalServerError", 500),
}
SECRET_FAULTS = {
    "throttled": lambda: _client_error("ThrottlingException", 400),
    "kms key unavailable": lambda: _client_error("DecryptionFailure", 400),
    "failing": lambda: _client_error("InternalServiceError", 500),
    "timed out": lambda: ReadTimeoutError(endpoint_url="https://secretsmanager.us-east-1.amazonaws.com"),
}


@pytest.fixture
def inject(monkeypatch):
    """inject(client, method, fault): every call of `client.method` raises `fault()` until undone."""

    def _inject(client, method, fault):
        calls = []

        def failing(**kwargs):
            calls.append(kwargs)
            raise fault()

        monkeypatch.setattr(client, method, failing)
        return calls

    return _inject


def assert_unavailable(response):
    assert response["statusCode"] == 503, response["body"]
    assert response["headers"]["Retry-After"] == "1"
    assert body_of(response)["error"]["code"] == "SERVICE_UNAVAILABLE"


# --- the authorizer: no Deny (a 401 would sign the user out), the gateway's 503 ------------------


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_authorizer_whose_session_read_fails_raises_instead_of_denying(local_api, inject, monkeypatch, fault):
    from latchkey.store import dynamodb

    _, data = register(local_api, "authz-fault")
    event = load_event("authorizer")
    event["headers"]["Authorization"] = f"Bearer {data['accessToken']}"
    calls = inject(dynamodb.client, "get_item", fault)
    with pytest.raises(Exception) as raised:
        invoke(local_api, "AuthorizerFunction", event)
    assert type(raised.value).__name__ == "DependencyUnavailable" and calls
    monkeypatch.undo()
    assert invoke(local_api, "AuthorizerFunction", event)["policyDocument"]["Statement"][0]["Effect"] == "Allow"


@pytest.mark.parametrize("fault", SECRET_FAULTS.values(), ids=SECRET_FAULTS.keys())
def test_authorizer_whose_key_set_read_fails_raises_instead_of_denying(local_api, inject, monkeypatch, fault):
    from latchkey.store import key_sets, secrets

    _, data = register(local_api, "authz-secret")
    event = load_event("authorizer")
    event["headers"]["Authorization"] = f"Bearer {data['accessToken']}"
    key_sets.forget()  # a container that starts now: it must read the public keys
    inject(secrets._client(), "get_secret_value", fault)
    with pytest.raises(Exception) as raised:
        invoke(local_api, "AuthorizerFunction", event)
    assert type(raised.value).__name__ == "DependencyUnavailable"
    monkeypatch.undo()
    assert invoke(local_api, "AuthorizerFunction", event)["policyDocument"]["Statement"][0]["Effect"] == "Allow"


def test_the_gateway_answers_an_authorizer_failure_with_503_and_retry_after():
    """What API Gateway does with an authorizer that raises (not `Unauthorized`): AUTHORIZER_FAILURE,
    which template.yaml makes a 503 in the envelope; the local gateway renders the same response."""

    class RaisingAuthorizer:
        def invoke(self, function_id, event, integration_timeout=None):
            return Outcome(status="error", error="DependencyUnavailable")

    api = LocalApi(Template.load(TEMPLATE, {}), RaisingAuthorizer())
    response = api.handle("GET", "/v1/auth/me", [("Authorization", "Bearer x.y.z")], b"", "127.0.0.1")
    assert response.status == 503
    assert ("Retry-After", "1") in response.headers
    assert response.json()["error"]["code"] == "SERVICE_UNAVAILABLE"


# --- a read, a write, a sign-in ------------------------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_read_whose_table_fails_is_a_503_and_works_when_sent_again(local_api, inject, monkeypatch, fault):
    from latchkey.store import dynamodb

    _, data = register(local_api, "read-fault")
    event = signed_in_event("me", data["user"])
    inject(dynamodb.client, "get_item", fault)
    assert_unavailable(invoke(local_api, "MeFunction", event))
    monkeypatch.undo()
    assert invoke(local_api, "MeFunction", event)["statusCode"] == 200


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_write_whose_transaction_fails_is_a_503_with_nothing_written(local_api, inject, monkeypatch, fault):
    from latchkey.store import api_keys_table, dynamodb

    _, data = register(local_api, "write-fault")
    user = data["user"]
    inject(dynamodb.client, "transact_write_items", fault)
    assert_unavailable(new_key(local_api, user))
    monkeypatch.undo()
    assert api_keys_table.list_for_organization(user["organizationId"]) == []  # no key, and no event:
    assert _events(local_api, user, "api_key.created") == []  # both were one transaction
    assert new_key(local_api, user)["statusCode"] == 201
    assert len(_events(local_api, user, "api_key.created")) == 1


@pytest.mark.parametrize("fault", SECRET_FAULTS.values(), ids=SECRET_FAULTS.keys())
def test_a_sign_in_whose_signing_keys_cannot_be_read_is_a_503_with_no_session(local_api, inject, monkeypatch, fault):
    from latchkey.store import key_sets, secrets, sessions_table

    email, data = register(local_api, "login-fault")
    key_sets.forget()
    inject(secrets._client(), "get_secret_value", fault)
    login = load_event("login")
    login["body"] = json.dumps({"email": email, "password": PASSWORD})
    assert_unavailable(invoke(local_api, "LoginFunction", login))
    monkeypatch.undo()
    from latchkey.rules import clock

    assert len(sessions_table.list_for_user(data["user"]["id"], clock.now())) == 1  # only register's
    assert invoke(local_api, "LoginFunction", login)["statusCode"] == 200


def test_a_sign_up_whose_secret_read_fails_creates_no_account(local_api, inject, monkeypatch):
    from latchkey.store import accounts_table, key_sets, secrets

    key_sets.forget()
    inject(secrets._client(), "get_secret_value", SECRET_FAULTS["kms key unavailable"])
    email = unique_email("signup-fault")
    event = load_event("register")
    event["body"] = json.dumps({**json.loads(event["body"]), "email": email})
    assert_unavailable(invoke(local_api, "RegisterFunction", event))
    monkeypatch.undo()
    assert accounts_table.find_credentials(email) is None
    assert invoke(local_api, "RegisterFunction", event)["statusCode"] == 201


def test_a_bug_is_still_a_500_not_a_503(local_api, monkeypatch):
    """Only dependency faults are 503s: a request botocore refuses to send is our bug."""
    from botocore.exceptions import ParamValidationError

    from latchkey.store import dynamodb

    _, data = register(local_api, "bug")

    def invalid(**_kwargs):
        raise ParamValidationError(report="injected")

    monkeypatch.setattr(dynamodb.client, "get_item", invalid)
    response = invoke(local_api, "MeFunction", signed_in_event("me", data["user"]))
    assert response["statusCode"] == 500


def _events(local_api, user, event_type):
    event = signed_in_event("list_audit_events", user)
    event["queryStringParameters"] = {"type": event_type}
    response = invoke(local_api, "ListAuditEventsFunction", event)
    assert response["statusCode"] == 200, response["body"]
    return body_of(response)["data"]["auditEvents"]
