"""Lazy migration as `make dev USER_MIGRATION=local/sample_user_migration/app.py` runs it: the sample
legacy function in a sandbox of its own, reached by Lambda's Invoke from the sign-in and mailer
functions. Over HTTP: a known address signs in with its legacy password and its account is made; a wrong
password makes nothing; a forgot-password for a known address makes the account and mails the reset
link; an address the legacy service does not know stays unknown."""

from __future__ import annotations

import pytest

from local.runtime import ROOT
from tests.support import Client, LocalApiProcess

SAMPLE = ROOT / "local" / "sample_user_migration" / "app.py"
RESET = "Reset your password"


@pytest.fixture(scope="module")
def migrating(tmp_path_factory) -> Client:
    log = tmp_path_factory.mktemp("lazy-migration") / "server.log"
    local = LocalApiProcess(log, "--ephemeral", "--no-demo", "--function-logs", "--user-migration", str(SAMPLE))
    client = Client(local.base_url)
    client.aws_endpoint, client.operator = local.aws_endpoint, local.operator
    yield client
    local.stop()


def login(client: Client, email: str, password: str):
    return client.post("/v1/auth/login", json={"email": email, "password": password})


def account(client: Client, email: str):
    return client.request("GET", f"/v1/admin/users?email={email}", auth=client.operator_auth())


def test_a_wrong_password_makes_no_account_and_the_right_one_migrates_and_signs_in(migrating: Client):
    email = "ada@legacy.example"
    wrong = login(migrating, email, "not the legacy password")
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "INVALID_CREDENTIALS"
    assert account(migrating, email).status_code == 404

    signed_in = login(migrating, email, "legacy password 1")
    assert signed_in.status_code == 200, signed_in.text
    user = signed_in.json()["data"]["user"]
    assert (user["email"], user["name"], user["emailVerified"]) == (email, "Ada Lovelace", True)
    assert account(migrating, email).json()["data"]["id"] == user["id"]
    assert login(migrating, email, "legacy password 1").status_code == 200  # now Latchkey's own account


def test_a_forgot_password_migrates_the_address_and_mails_the_reset_link(migrating: Client):
    email = "alan@legacy.example"
    assert migrating.post("/v1/auth/forgot-password", json={"email": email}).status_code == 202
    token = migrating.mailed_token(email, RESET)
    assert account(migrating, email).json()["data"]["emailVerified"] is False
    reset = migrating.post("/v1/auth/reset-password", json={"token": token, "password": "a new one for alan"})
    assert reset.status_code == 200, reset.text
    assert login(migrating, email, "a new one for alan").status_code == 200


def test_an_address_the_legacy_service_does_not_know_stays_unknown(migrating: Client):
    email = "nobody@legacy.example"
    assert login(migrating, email, "legacy password 1").status_code == 401
    assert migrating.post("/v1/auth/forgot-password", json={"email": email}).status_code == 202
    assert account(migrating, email).status_code == 404
