"""The lockout cannot be used to keep an owner out (written before the defence): someone who knows
only an address locks it for one lock period, and is then rate-limited on it themselves; the owner is
told once per lock, with a reset link, and a completed reset clears the lock at once.

Each test holds the clock (`clock`, pinned at a fixed instant inside a day): they move it by lock
periods, and a day window of the per-source count that turned mid-test would start it again."""

from __future__ import annotations

import json

import pytest

from tests.handlers.conftest import body_of, invoke, mailed, register
from tests.support import PASSWORD, load_event, random_ip

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
    from tests.support import unique_email

    known, _ = register(local_api, "known")
    answers = {}
    for kind, email in (("known", known), ("unknown", unique_email("ghost"))):
        answers[kind] = [login(local_api, email, "guess", ATTACKER) for _ in range(7)]
    assert answers["known"] == answers["unknown"] == [(401, "INVALID_CREDENTIALS")] * 5 + [(423, "ACCOUNT_LOCKED")] * 2


# --- signed-in password checks (issue 23): fair counting, one cap per (email, source) ---------------


def signed_in(local_api, name: str, user: dict, tokens: dict, body: dict, source_ip: str) -> tuple[int, str]:
    """A signed-in route's handler, called from `source_ip` with `tokens`' session (signed in just now,
    by the test's clock) and `body`."""
    from latchkey.rules import clock
    from tests.handlers.conftest import signed_in_event

    event = signed_in_event(name, user, access_token=tokens["accessToken"])
    event["requestContext"]["authorizer"]["authTime"] = str(clock.now())
    event["requestContext"]["identity"]["sourceIp"] = source_ip
    event["body"] = json.dumps(body)
    function = "".join(part.title() for part in name.split("_")) + "Function"
    response = invoke(local_api, function, event)
    return response["statusCode"], body_of(response).get("error", {}).get("code", "")


def test_a_right_password_never_counts_as_a_failure_whatever_is_refused_next(local_api, clock):
    email, data = register(local_api, "fair")
    user = data["user"]
    for _ in range(6):  # more than the lockout's five
        assert signed_in(local_api, "change_password", user, data, {"currentPassword": PASSWORD,
                         "newPassword": "password1"}, OWNER) == (400, "PASSWORD_TOO_COMMON")
    for _ in range(6):
        assert signed_in(local_api, "change_email", user, data, {"password": PASSWORD, "newEmail": email},
                         OWNER) == (400, "SAME_EMAIL")
    assert login(local_api, email, PASSWORD, OWNER)[0] == 200, "the owner was not locked out"


def test_signed_in_password_checks_count_toward_the_same_cap_per_email_and_source(local_api, clock):
    email, data = register(local_api, "capped")
    user = data["user"]
    for _ in range(3):
        assert login(local_api, email, "guess", ATTACKER)[0] == 401
    for _ in range(2):  # a stolen token's holder guesses at step-up: the same five
        assert signed_in(local_api, "reauthenticate", user, data, {"password": "guess"}, ATTACKER) == (
            403, "INVALID_PASSWORD")
    assert login(local_api, email, PASSWORD, OWNER) == (423, "ACCOUNT_LOCKED")
    clock.advance(LOCK_SECONDS)
    assert signed_in(local_api, "reauthenticate", user, data, {"password": "guess"}, ATTACKER)[0] == 403  # the one left
    assert login(local_api, email, "guess", ATTACKER) == (429, "RATE_LIMITED")
    for name, body in (("reauthenticate", {"password": "guess"}),
                       ("change_password", {"currentPassword": "guess", "newPassword": "a thief's passphrase"}),
                       ("delete_account", {"password": "guess"})):
        assert signed_in(local_api, name, user, data, body, ATTACKER) == (429, "RATE_LIMITED"), name
    assert login(local_api, email, PASSWORD, OWNER)[0] == 200, "the owner is not locked out again"


def test_reauthenticate_has_a_per_source_limit_like_logins(local_api, clock):
    _, data = register(local_api, "reauth-limit")
    answers = [signed_in(local_api, "reauthenticate", data["user"], data, {"password": PASSWORD}, ATTACKER)
               for _ in range(11)]
    assert answers == [(200, "")] * 10 + [(429, "RATE_LIMITED")]
