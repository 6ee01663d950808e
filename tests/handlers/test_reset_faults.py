"""reset-password when a fault hits after its main write committed (issue 23): the 503 is never final.
The new password, the token's spending and the pending email change's voiding are one transaction;
the same request sent again ends what is left (sessions, and for a never-verified address the keys),
and nothing that should have ended survives. Faults injected as test_busy_writes.py does."""

import json

import pytest

from tests.handlers.conftest import body_of, call, invoke, join, mailed_token, new_key, register, sign_in
from tests.handlers.test_busy_writes import cancelled, dynamodb, live_sessions  # noqa: F401 - a fixture
from tests.support import PASSWORD, load_event

NEW = "a calm new passphrase"


def _reset_event(local_api, email: str) -> dict:
    event = load_event("forgot_password")
    event["body"] = json.dumps({"email": email})
    assert invoke(local_api, "ForgotPasswordFunction", event)["statusCode"] == 202
    reset = load_event("reset_password")
    reset["body"] = json.dumps({"token": mailed_token(local_api, email, "Reset your password"), "password": NEW})
    return reset


def _after_the_main_write(dynamodb, monkeypatch, fault):  # noqa: F811 - the fixture's value
    """Every transaction after the first (the reset's own) fails with `fault`."""
    real, calls = dynamodb.client.transact_write_items, []

    def first_only(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            return real(**kwargs)
        raise fault(dynamodb.client, kwargs["TransactItems"])

    monkeypatch.setattr(dynamodb.client, "transact_write_items", first_only)
    return real


FAULTS = {
    "throttled": lambda client, items: cancelled(client, *["ThrottlingError"] * len(items)),
    "conflict": lambda client, items: cancelled(client, "TransactionConflict", *["None"] * (len(items) - 1)),
}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_reset_whose_cleanup_fails_finishes_when_sent_again(local_api, dynamodb, monkeypatch, fault):  # noqa: F811
    from latchkey.store import accounts_table, api_keys_table

    email, data = register(local_api, "reset-fault")  # never verified: the reset revokes the keys too
    user = data["user"]
    sign_in(local_api, email)
    assert new_key(local_api, user)["statusCode"] == 201
    moved = call(local_api, "ChangeEmailFunction", "change_email", user,
                 body={"password": PASSWORD, "newEmail": f"elsewhere-{user['id']}@example.com"})
    assert moved["statusCode"] == 202
    reset = _reset_event(local_api, email)

    _after_the_main_write(dynamodb, monkeypatch, fault)
    failed = invoke(local_api, "ResetPasswordFunction", reset)
    assert failed["statusCode"] == 503 and body_of(failed)["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert live_sessions(user["id"])  # the main write committed, its cleanup did not
    assert accounts_table.get_user_with_tokens(user["id"])[1].pending_email == ""  # voided with the main write
    monkeypatch.undo()

    again = invoke(local_api, "ResetPasswordFunction", reset)  # the same request
    assert again["statusCode"] == 200, again["body"]
    assert live_sessions(user["id"]) == set()
    assert all(key.revoked_at for key in api_keys_table.list_for_organization(user["organizationId"]))
    assert sign_in(local_api, email, NEW)["accessToken"]
    spent = invoke(local_api, "ResetPasswordFunction", reset)  # finished: the link is spent now
    assert spent["statusCode"] == 400 and body_of(spent)["error"]["code"] == "ONE_TIME_TOKEN_USED"


def test_the_retry_ends_only_what_the_reset_ended_not_the_owners_new_sign_in(
        local_api, dynamodb, monkeypatch, clock):  # noqa: F811
    email, data = register(local_api, "reset-retry")
    user = data["user"]
    reset = _reset_event(local_api, email)
    healthy = _after_the_main_write(dynamodb, monkeypatch, FAULTS["throttled"])
    assert invoke(local_api, "ResetPasswordFunction", reset)["statusCode"] == 503
    monkeypatch.setattr(dynamodb.client, "transact_write_items", healthy)  # the clock stays pinned
    owners = set(live_sessions(user["id"]))
    clock.advance(5)  # the owner signs in after the reset, then resends it
    fresh = sign_in(local_api, email, NEW)
    assert invoke(local_api, "ResetPasswordFunction", reset)["statusCode"] == 200
    remaining = live_sessions(user["id"])
    assert len(remaining) == 1 and not remaining & owners and fresh["accessToken"]


def test_a_reclaim_cut_short_by_a_fault_removes_the_squatters_team_when_sent_again(
        local_api, dynamodb, monkeypatch, outbox):  # noqa: F811
    from latchkey.store import accounts_table, api_keys_table

    email, data = register(local_api, "squatted")  # never verified: the owner's reset reclaims it
    squatter = data["user"]
    helper = join(local_api, outbox, squatter, role="ADMIN")["user"]
    assert new_key(local_api, helper)["statusCode"] == 201
    reset = _reset_event(local_api, email)
    _after_the_main_write(dynamodb, monkeypatch, FAULTS["throttled"])
    assert invoke(local_api, "ResetPasswordFunction", reset)["statusCode"] == 503
    monkeypatch.undo()
    assert accounts_table.get_user(helper["id"]) is not None and live_sessions(helper["id"])  # not yet
    assert invoke(local_api, "ResetPasswordFunction", reset)["statusCode"] == 200
    assert accounts_table.get_user(helper["id"]) is None and live_sessions(helper["id"]) == set()
    assert all(key.revoked_at for key in api_keys_table.list_for_organization(squatter["organizationId"]))
    assert [m.id for m in accounts_table.list_members(squatter["organizationId"])] == [squatter["id"]]
