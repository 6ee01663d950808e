"""Lazy migration (UserMigrationFunctionArn): a sign-in or a forgot-password for an address Latchkey does
not know asks the team's legacy function, here a fake one standing in for it with Cognito's user migration
event; when it answers a user, the account is created and signed in (or sent its reset link). A wrong
password, an unknown address and a function that raises create nothing; off, the function is never asked."""

from __future__ import annotations

import io
import json

import pytest

from tests.handlers.conftest import body_of, code_of, invoke
from tests.support import PASSWORD, load_event, unique_email

LEGACY = {}  # the legacy service's users: email -> (password, name)
ARN = "arn:aws:lambda:us-east-1:123456789012:function:legacy-users"


def legacy_function(event: dict) -> dict:
    """What a team's migration function does (Cognito's contract): look the user up, check the password."""
    known = LEGACY.get(event["userName"])
    if known is None:
        raise LookupError("User does not exist")
    if event["triggerSource"] == "UserMigration_Authentication" and event["request"]["password"] != known[0]:
        raise PermissionError("Bad password")
    return {**event, "response": {"userAttributes": {"email": event["userName"], "name": known[1],
                                                     "email_verified": "true"}}}


class FakeLambda:
    def __init__(self):
        self.asked: list[dict] = []

    def invoke(self, FunctionName: str, Payload: str) -> dict:  # noqa: N803 - boto3's names
        assert FunctionName == ARN
        event = json.loads(Payload)
        self.asked.append(event)
        try:
            return {"StatusCode": 200, "Payload": io.BytesIO(json.dumps(legacy_function(event)).encode())}
        except Exception as error:  # noqa: BLE001 - as Lambda reports a function's error
            return {"StatusCode": 200, "FunctionError": "Unhandled",
                    "Payload": io.BytesIO(json.dumps({"errorMessage": str(error)}).encode())}


@pytest.fixture
def legacy(local_api, monkeypatch) -> FakeLambda:
    from latchkey import settings
    from latchkey.store import user_migration
    from latchkey.usecases import accounts, mailer

    on = settings.get_settings()._replace(user_migration_function_arn=ARN)
    for module in (accounts, mailer, user_migration):
        monkeypatch.setattr(module, "get_settings", lambda: on)
    fake = FakeLambda()
    monkeypatch.setattr(user_migration, "_lambda", lambda: fake)
    return fake


def login(local_api, email: str, password: str) -> dict:
    event = load_event("login")
    event["body"] = json.dumps({"email": email, "password": password})
    return invoke(local_api, "LoginFunction", event)


def test_a_legacy_user_is_created_at_their_first_sign_in_and_signed_in(local_api, legacy):
    email = unique_email("legacy")
    LEGACY[email] = (PASSWORD, "Legacy Lin")
    response = login(local_api, email, PASSWORD)
    assert response["statusCode"] == 200, response["body"]
    user = body_of(response)["data"]["user"]
    assert user["name"] == "Legacy Lin" and user["emailVerified"]
    assert [e["triggerSource"] for e in legacy.asked] == ["UserMigration_Authentication"]
    assert login(local_api, email, PASSWORD)["statusCode"] == 200
    assert len(legacy.asked) == 1  # known now: never asked again


def test_a_wrong_password_or_an_unknown_address_creates_nothing(local_api, legacy):
    from latchkey.store import accounts_table

    email = unique_email("legacy")
    LEGACY[email] = (PASSWORD, "Lin")
    for address, password in ((email, "not the password"), (unique_email("nobody"), PASSWORD)):
        response = login(local_api, address, password)
        assert response["statusCode"] == 401 and code_of(response) == "INVALID_CREDENTIALS"
        assert accounts_table.find_credentials(address) is None


def test_forgot_password_migrates_the_user_and_sends_the_reset_link(local_api, legacy):
    from latchkey.store import accounts_table
    from latchkey.usecases import mailer

    email = unique_email("legacy")
    LEGACY[email] = ("an old password", "Lin")
    message = mailer._reset_link({"email": email, "template": "account.reset-password", "values": {}})
    assert message["to"] == email and message["values"]["token"].startswith("reset.")
    assert legacy.asked[-1]["triggerSource"] == "UserMigration_ForgotPassword"
    assert "password" not in legacy.asked[-1]["request"]
    assert accounts_table.find_credentials(email).password_hash == ""  # the reset link sets one


def test_off_the_function_is_never_asked(local_api, monkeypatch):
    from latchkey.store import user_migration

    monkeypatch.setattr(user_migration, "_lambda", lambda: pytest.fail("asked while off"))
    assert login(local_api, unique_email("nobody"), PASSWORD)["statusCode"] == 401
