"""Races on the recovery flows, with real threads: a reset token works once however many requests
race it, and two accounts confirming a move to the same address cannot both get it (the same kind of
transaction as registration). And a rule no race is needed to see: a reset-link job for an address
with no account. (The sole admin, with real members: tests/handlers/test_teams.py.)"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.handlers.conftest import body_of, invoke, mailed, mailed_token, register, signed_in_event
from tests.support import EVENTS, PASSWORD, load_event, unique_email


def _post(local_api, function: str, name: str, body: dict, signed_in: dict | None = None) -> tuple[int, str]:
    """POST `body` to a function; as the user of `signed_in` (register's data) when given."""
    event = (signed_in_event(name, signed_in["user"], access_token=signed_in["accessToken"]) if signed_in
             else load_event(name))
    event["body"] = json.dumps(body)
    response = invoke(local_api, function, event)
    return response["statusCode"], body_of(response).get("error", {}).get("code", "")


def test_a_reset_token_raced_by_eight_requests_works_once(local_api):
    email, _ = register(local_api, "race-reset")
    assert _post(local_api, "ForgotPasswordFunction", "forgot_password", {"email": email})[0] == 202
    token = mailed_token(local_api, email, "Reset your password")
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda i: _post(local_api, "ResetPasswordFunction", "reset_password",
                                                {"token": token, "password": f"racing passphrase {i}"}), range(8)))
    assert sorted(status for status, _ in results) == [200] + [400] * 7, results
    assert {code for status, code in results if status == 400} <= {"ONE_TIME_TOKEN_USED", "INVALID_ONE_TIME_TOKEN"}


def test_two_accounts_confirming_a_move_to_the_same_address_cannot_both_get_it(local_api):
    target = unique_email("contested")
    tokens = []
    for tag in ("first", "second"):
        _, data = register(local_api, tag)
        assert _post(local_api, "ChangeEmailFunction", "change_email", {"password": PASSWORD, "newEmail": target},
                     data)[0] == 202
        tokens.append(mailed_token(local_api, target, "Confirm your new email address"))
    assert tokens[0] != tokens[1]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(
            lambda token: _post(local_api, "VerifyEmailFunction", "verify_email", {"token": token}), tokens))
    assert sorted(results) == [(200, ""), (409, "EMAIL_TAKEN")], results


@pytest.mark.parametrize("job", [
    {"job": "reset-link", "email": "nobody-at-all@example.com", "template": "account.reset-password", "values": {}},
    {"job": "notify-user", "userId": "user_0123456789abcdef01234567", "template": "notice.api-key-created",
     "values": {"keyName": "k"}},
])
def test_a_mailer_job_for_no_account_sends_nothing_and_is_not_retried(local_api, job):
    event = json.loads((EVENTS / "send_mail.json").read_text())
    event["Records"][0]["body"] = json.dumps(job)
    before = len(mailed(local_api))
    assert invoke(local_api, "SendMailFunction", event) == {"batchItemFailures": []}
    assert len(mailed(local_api)) == before
