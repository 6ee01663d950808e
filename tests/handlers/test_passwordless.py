"""Passwordless sign-in rules that need the clock to move (pinned to a fixed instant, never the wall
clock's): a magic link lives 15 minutes, a sign-in code 10. And the AWS calls each route makes."""

from __future__ import annotations

import json

import pytest

from latchkey.rules import clock
from tests.handlers.conftest import body_of, register
from tests.support import load_event, unique_email

ISSUED_AT = 1_795_435_200  # 2026-11-23T12:00:00Z: a fixed instant, whatever the time of day


def minted(email: str, kind: str) -> dict:
    """What the mailer sends for a queued sign-in job (the link's token, or the code), minted now."""
    from latchkey.usecases import mailer

    return mailer.prepare({"job": "sign-in", "email": email, "kind": kind})["values"]


def verify_link(local_api, token: str):
    event = load_event("verify_magic_link")
    event["body"] = json.dumps({"token": token})
    return local_api.invoke("VerifyMagicLinkFunction", event)


def verify_code(local_api, email: str, code: str):
    event = load_event("verify_email_code")
    event["body"] = json.dumps({"email": email, "code": code})
    return local_api.invoke("VerifyEmailCodeFunction", event)


def ask(local_api, function: str, email: str):
    event = load_event("magic_link" if function == "MagicLinkFunction" else "email_code")
    event["body"] = json.dumps({"email": email})
    return local_api.invoke(function, event)


def at(monkeypatch, instant: int) -> None:
    monkeypatch.setattr(clock, "now", lambda: instant)


def test_a_magic_link_works_until_15_minutes_and_not_after(local_api, monkeypatch):
    lifetime = 15 * 60
    email, _ = register(local_api, "link-clock")
    at(monkeypatch, ISSUED_AT)
    token = minted(email, "link")["token"]
    at(monkeypatch, ISSUED_AT + lifetime)
    expired = verify_link(local_api, token).result
    assert expired["statusCode"] == 400 and body_of(expired)["error"]["code"] == "ONE_TIME_TOKEN_EXPIRED"
    at(monkeypatch, ISSUED_AT + lifetime - 1)
    assert verify_link(local_api, token).result["statusCode"] == 200


def test_a_sign_in_code_works_until_10_minutes_and_not_after(local_api, monkeypatch):
    email, _ = register(local_api, "code-clock")
    at(monkeypatch, ISSUED_AT)
    code = minted(email, "code")["code"]
    at(monkeypatch, ISSUED_AT + 600)
    expired = verify_code(local_api, email, code).result
    assert expired["statusCode"] == 401 and body_of(expired)["error"]["code"] == "INVALID_SIGN_IN_CODE"
    at(monkeypatch, ISSUED_AT + 599)
    assert verify_code(local_api, email, code).result["statusCode"] == 200


@pytest.mark.parametrize("function", ["MagicLinkFunction", "EmailCodeFunction"])
def test_asking_makes_the_same_calls_for_a_known_and_an_unknown_address(local_api, function):
    known, _ = register(local_api, "ask-calls")
    outcomes = [ask(local_api, function, email) for email in (known, unique_email("nobody"))]
    assert [o.result["statusCode"] for o in outcomes] == [202, 202]
    assert outcomes[0].result["body"] == outcomes[1].result["body"]
    assert outcomes[0].calls == outcomes[1].calls == (
        "dynamodb:UpdateItem", "dynamodb:UpdateItem", "sqs:SendMessage")  # source, address, the job


def test_a_wrong_code_makes_the_same_calls_for_a_known_and_an_unknown_address(local_api):
    known, _ = register(local_api, "code-calls")
    minted(known, "code")
    outcomes = [verify_code(local_api, email, "000000") for email in (known, unique_email("nobody"))]
    assert [o.result["body"] for o in outcomes][0] == [o.result["body"] for o in outcomes][1]
    # The source's limit, the email's lockout count, the (email, source) count, the code's item, the
    # code's tries, the failed sign-in's audit event.
    dynamodb = [tuple(c for c in o.calls if c.startswith("dynamodb:")) for o in outcomes]
    assert dynamodb[0] == dynamodb[1], dynamodb



@pytest.mark.parametrize("kind", ["link", "code"])
def test_a_sign_in_whose_transaction_is_throttled_is_a_503_and_the_same_request_then_signs_in(
        local_api, monkeypatch, kind):
    from botocore.exceptions import ClientError

    from latchkey.store import dynamodb

    email, _ = register(local_api, f"busy-{kind}")
    secret = minted(email, kind)
    send = (lambda: verify_link(local_api, secret["token"])) if kind == "link" else (
        lambda: verify_code(local_api, email, secret["code"]))

    def throttled(**_):
        raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "injected"},
                           "ResponseMetadata": {"HTTPStatusCode": 400}}, "TransactWriteItems")

    monkeypatch.setattr(dynamodb.client, "transact_write_items", throttled)
    busy = send().result
    assert busy["statusCode"] == 503 and body_of(busy)["error"]["code"] == "SERVICE_UNAVAILABLE"
    monkeypatch.undo()
    again = send().result
    assert again["statusCode"] == 200 and body_of(again)["data"]["user"]["emailVerified"] is True


def test_by_default_an_address_with_no_account_is_told_so_and_no_account_is_made(local_api):
    from latchkey.store import accounts_table

    email = unique_email("no-sign-up")
    from latchkey.usecases import mailer

    note = mailer.prepare({"job": "sign-in", "email": email, "kind": "link"})
    assert note["template"] == "account.no-account" and "token" not in note["values"]
    assert accounts_table.find_user_id(email) is None


@pytest.mark.parametrize("kind", ["link", "code"])
def test_with_passwordless_sign_up_the_first_link_or_code_makes_the_account_and_signs_in(
        local_api, monkeypatch, kind):
    from latchkey.store import accounts_table
    from latchkey.usecases import mailer

    settings = mailer.get_settings()
    monkeypatch.setattr(mailer, "get_settings", lambda: settings._replace(passwordless_sign_up=True))
    email = unique_email(f"sign-up-{kind}")
    message = mailer.prepare({"job": "sign-in", "email": email, "kind": kind})
    assert message["template"] == ("account.magic-link" if kind == "link" else "account.sign-in-code")
    made = accounts_table.get_user(accounts_table.find_user_id(email))
    assert made.role == "ADMIN" and made.email_verified is False
    answer = (verify_link(local_api, message["values"]["token"]) if kind == "link"
              else verify_code(local_api, email, message["values"]["code"])).result
    assert answer["statusCode"] == 200, answer["body"]
    assert body_of(answer)["data"]["user"]["emailVerified"] is True
    # No password was set: no password signs in (the empty hash is not the decoy's).
    event = load_event("login")
    event["body"] = json.dumps({"email": email, "password": "correct horse battery staple"})
    assert local_api.invoke("LoginFunction", event).result["statusCode"] == 401
    # A second request finds the account: one account per address.
    again = mailer.prepare({"job": "sign-in", "email": email, "kind": kind})
    assert accounts_table.find_user_id(email) == made.id and again["to"] == email
