"""Forgot-password tells nothing about an address: the same status and body, and the same work, for a
known, an unknown, a locked and an unverified address. The work is measured as the AWS calls each
request makes (the same calls, in the same order: no timed assert); the timings are printed."""

from __future__ import annotations

import json
import statistics

from tests.handlers.conftest import register, sign_in
from tests.support import load_event, unique_email


def forgot(local_api, email: str):
    event = load_event("forgot_password")  # its own source address: the per-IP limit stays out of it
    event["body"] = json.dumps({"email": email})
    return local_api.invoke("ForgotPasswordFunction", event)


def addresses(local_api) -> dict[str, str]:
    known, _ = register(local_api, "known")
    locked, _ = register(local_api, "locked")
    for _ in range(5):
        event = load_event("login")
        event["body"] = json.dumps({"email": locked, "password": "wrong password"})
        local_api.invoke("LoginFunction", event)
    verified, _ = register(local_api, "verified")
    from latchkey.store import accounts_table

    user_id = accounts_table.find_user_id(verified)
    accounts_table.client.update_item(TableName=accounts_table._table(), Key={"pk": {"S": f"USER#{user_id}"}},
                                      UpdateExpression="SET emailVerified = :t",
                                      ExpressionAttributeValues={":t": {"BOOL": True}})
    sign_in(local_api, known)
    return {"known (unverified)": known, "unknown": unique_email("nobody"), "locked": locked, "verified": verified}


def test_every_kind_of_address_gets_the_same_answer_after_the_same_calls(local_api):
    outcomes = {kind: forgot(local_api, email) for kind, email in addresses(local_api).items()}
    assert {o.result["statusCode"] for o in outcomes.values()} == {202}
    assert len({o.result["body"] for o in outcomes.values()}) == 1
    calls = {kind: o.calls for kind, o in outcomes.items()}
    assert len(set(calls.values())) == 1, calls
    assert next(iter(calls.values())) == ("dynamodb:UpdateItem", "dynamodb:UpdateItem", "sqs:SendMessage")


def test_timings_per_kind_of_address_are_printed_not_asserted(local_api, capsys):
    kinds = addresses(local_api)
    timings: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(3):  # the per-address budget is 3 an hour: every one of these queues its job
        for kind, email in kinds.items():
            timings[kind].append(forgot(local_api, email).ms)
    with capsys.disabled():
        print("\nforgot-password in process (ms, median of 3): " + ", ".join(
            f"{kind} {statistics.median(ms):.1f}" for kind, ms in timings.items()))


def test_past_the_address_budget_nothing_is_queued_whether_or_not_it_has_an_account(local_api):
    known, _ = register(local_api, "budget")
    for email in (known, unique_email("budget-nobody")):
        outcomes = [forgot(local_api, email) for _ in range(4)]
        assert [o.result["statusCode"] for o in outcomes] == [202] * 4
        assert [o.calls.count("sqs:SendMessage") for o in outcomes] == [1, 1, 1, 0]
