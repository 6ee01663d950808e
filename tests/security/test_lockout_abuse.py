"""The lockout cannot be used to keep an owner out (written before the defence): someone who knows
only an address locks it for one lock period, and is then rate-limited on it themselves; the owner is
told once per lock, with a reset link, and a completed reset clears the lock at once.

Each test holds the clock (`clock`, pinned at a fixed instant inside a day): they move it by lock
periods, and a day window of the per-source count that turned mid-test would start it again."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PASSWORD, load_event, random_ip
from tests.handlers.conftest import body_of, invoke, mailed, register

LOCK_SECONDS = 1800
ATTACKER = OWNER = SECOND_ATTACKER = ""  # set per test


@pytest.fixture(autouse=True)
def _sources(monkeypatch):
    """Addresses of their own for each test: the per-IP login limit (20 a minute) counts them apart."""
    for name in ("ATTACKER", "OWNER", "SECOND_ATTACKER"):
        monkeypatch.setitem(globals(), name, random_ip(203))


def login(local_api, email: str, password: str, source_ip: str) -> tuple[int, str]:
    event = load_event("login")
    event["requestContext"]["identity"]["sourceIp"] = source_ip
    event["body"] = json.dumps({"email": email, "password": password})
    response = invoke(local_api, "LoginFunction", event)
    return response["statusCode"], body_of(response).get("error", {}).get("code", "")


def _locked_notices(local_api, email: str) -> list[dict]:
    return [m for m in mailed(local_api, email) if m["subject"].startswith("Your account was locked")]


def test_one_source_denies_the_owner_one_lock_period_and_is_then_rate_limited(local_api, clock):
    email, _ = register(local_api, "victim")
    assert [login(local_api, email, "guess", ATTACKER)[0] for _ in range(5)] == [401] * 5
    assert login(local_api, email, PASSWORD, OWNER) == (423, "ACCOUNT_LOCKED")  # the one lock period
    for _ in range(10):  # hammering during the lock changes nothing, and is not counted on the pair
        assert login(local_api, email, "guess", ATTACKER) == (423, "ACCOUNT_LOCKED")
    clock.advance(LOCK_SECONDS)
    assert login(local_api, email, "guess", ATTACKER)[0] == 401  # the one try the pair has left
    for _ in range(10):
        assert login(local_api, email, "guess", ATTACKER) == (429, "RATE_LIMITED")
    assert login(local_api, email, PASSWORD, OWNER)[0] == 200, "the attacker could not lock it again"


def test_a_second_source_can_lock_again_but_each_source_only_once_a_day(local_api, clock):
    email, _ = register(local_api, "victim2")
    for source in (ATTACKER, SECOND_ATTACKER):
        for _ in range(5):
            login(local_api, email, "guess", source)
        assert login(local_api, email, PASSWORD, OWNER)[0] == 423
        clock.advance(LOCK_SECONDS)
    assert login(local_api, email, "guess", ATTACKER)[0] == 401
    assert login(local_api, email, "guess", SECOND_ATTACKER)[0] == 401
    assert {login(local_api, email, "guess", source)[1] for source in (ATTACKER, SECOND_ATTACKER)} == {"RATE_LIMITED"}
    assert login(local_api, email, PASSWORD, OWNER)[0] == 200


def test_the_owner_is_told_once_per_lock_and_the_reset_link_clears_it(local_api, clock):
    email, _ = register(local_api, "told")
    for _ in range(12):  # five to lock, the rest refused during the lock
        login(local_api, email, "guess", ATTACKER)
    (notice,) = _locked_notices(local_api, email)
    assert "30 minutes" in notice["text"] and "/reset-password?token=" in notice["text"]
    token = notice["text"].split("token=")[1].split()[0]
    event = load_event("reset_password")
    event["requestContext"]["identity"]["sourceIp"] = OWNER
    event["body"] = json.dumps({"token": token, "password": "an owner's new passphrase"})
    assert invoke(local_api, "ResetPasswordFunction", event)["statusCode"] == 200
    assert login(local_api, email, "an owner's new passphrase", OWNER)[0] == 200  # at once, not after 30 min


def test_an_unknown_address_locks_and_answers_exactly_like_a_known_one(local_api, clock):
    """No enumeration through the lockout or its notice: the request does the same for both."""
    from tests.conftest import unique_email

    known, _ = register(local_api, "known")
    answers = {}
    for kind, email in (("known", known), ("unknown", unique_email("ghost"))):
        answers[kind] = [login(local_api, email, "guess", ATTACKER) for _ in range(7)]
    assert answers["known"] == answers["unknown"] == [(401, "INVALID_CREDENTIALS")] * 5 + [(423, "ACCOUNT_LOCKED")] * 2
