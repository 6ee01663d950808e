"""The local gateway's AWS_IAM check (local/sigv4.py) against requests botocore signs, as an operator's
SDK would: the right signature passes and names the principal; a wrong secret, a changed body, path or
query, a stale date, another service, an unknown key, a Bearer token and no signature are refused with
API Gateway's own messages. The signing clock is fixed (botocore's), so no test reads the wall clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import botocore.auth
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from local import sigv4

SIGNED_AT = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)
OPERATOR = sigv4.Operator("AKIALOCALTEST0001", "local-secret-for-tests")
HOST = "127.0.0.1:3000"


@pytest.fixture(autouse=True)
def _fixed_signing_clock(monkeypatch):
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: SIGNED_AT)


def signed(method="POST", target="/v1/admin/users/user_1/disable?x=a%20b", body=b'{"a": 1}', *,
           secret=OPERATOR.secret_access_key, key=OPERATOR.access_key_id, service="execute-api",
           region="us-east-1") -> list[tuple[str, str]]:
    request = AWSRequest(method=method, url=f"http://{HOST}{target}", data=body,
                         headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials(key, secret), service, region).add_auth(request)
    return [("Host", HOST), *request.headers.items()]


def check(headers, method="POST", target="/v1/admin/users/user_1/disable?x=a%20b", body=b'{"a": 1}', now=SIGNED_AT):
    return sigv4.check(method, target, headers, body, {OPERATOR.access_key_id: OPERATOR}, now=now)


def test_a_signed_request_names_its_principal():
    assert check(signed()) == OPERATOR
    assert OPERATOR.identity()["userArn"] == "arn:aws:iam::123456789012:user/local-operator"
    assert check(signed(), now=SIGNED_AT + timedelta(minutes=4)) == OPERATOR


@pytest.mark.parametrize("change", ["body", "path", "query", "method"])
def test_a_changed_request_does_not_match_its_signature(change):
    request = {"method": "POST", "target": "/v1/admin/users/user_1/disable?x=a%20b", "body": b'{"a": 1}'}
    request |= {"body": {"body": b'{"a": 2}'}, "path": {"target": "/v1/admin/users/user_2/disable?x=a%20b"},
                "query": {"target": "/v1/admin/users/user_1/disable?x=c"}, "method": {"method": "DELETE"}}[change]
    refusal = check(signed(), **request)
    assert refusal == sigv4.Refusal("INVALID_SIGNATURE", sigv4.MISMATCH)


def test_a_wrong_secret_or_another_service_is_refused():
    assert check(signed(secret="guessed")) == sigv4.Refusal("INVALID_SIGNATURE", sigv4.MISMATCH)
    assert check(signed(service="s3")).kind == "INVALID_SIGNATURE"
    assert check(signed(region="eu-west-1")).kind == "INVALID_SIGNATURE"


def test_a_stale_or_early_signature_is_refused():
    late = check(signed(), now=SIGNED_AT + timedelta(minutes=6))
    assert late.kind == "INVALID_SIGNATURE" and late.message.startswith("Signature expired: 20261123T120000Z")
    early = check(signed(), now=SIGNED_AT - timedelta(minutes=6))
    assert early.kind == "INVALID_SIGNATURE" and early.message.startswith("Signature not yet current")


def test_an_unknown_key_a_bearer_token_and_no_signature_are_refused():
    assert check(signed(key="AKIANOTOURS000000")) == sigv4.Refusal("DEFAULT_4XX", sigv4.UNKNOWN_KEY)
    bearer = check([("Host", HOST), ("Authorization", "Bearer eyJhbGciOi.x.y")])
    assert bearer.kind == "DEFAULT_4XX" and bearer.message.startswith("Invalid key=value pair")
    assert check([("Host", HOST)]).kind == "MISSING_AUTHENTICATION_TOKEN"


def test_credentials_are_kept_in_the_state_folder(tmp_path):
    first = sigv4.operator_credentials(tmp_path)
    assert sigv4.operator_credentials(tmp_path) == first
    assert (tmp_path / "operator.json").stat().st_mode & 0o077 == 0
    assert sigv4.operator_credentials(None) != first
