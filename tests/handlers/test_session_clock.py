"""Session rules that need the clock to move: the grace window closing, and the session's absolute
end (items past their TTL are absent on read even though DynamoDB - and moto - delete them late)."""

import json

import pytest

from latchkey.rules import clock
from tests.handlers.conftest import body_of, invoke, register
from tests.support import load_event


@pytest.fixture
def signed_in(local_api):
    return register(local_api, "clock")[1]


def refresh(local_api, token):
    event = load_event("refresh")
    event["body"] = json.dumps({"refreshToken": token})
    return invoke(local_api, "RefreshFunction", event)


def test_previous_token_after_the_grace_window_is_reuse(local_api, signed_in, monkeypatch):
    assert refresh(local_api, signed_in["refreshToken"])["statusCode"] == 200
    later = clock.now() + 11
    monkeypatch.setattr(clock, "now", lambda: later)
    replay = refresh(local_api, signed_in["refreshToken"])
    assert replay["statusCode"] == 401 and body_of(replay)["error"]["code"] == "REFRESH_TOKEN_REUSED"


def test_session_past_its_end_is_absent_on_read(local_api, signed_in):
    from latchkey.store import sessions_table  # after local_api: boto3 needs its environment

    user_id = signed_in["user"]["id"]
    (session,) = sessions_table.list_for_user(user_id, clock.now())
    assert sessions_table.get(user_id, session.id, session.expires_at - 1) is not None
    assert sessions_table.get(user_id, session.id, session.expires_at) is None
    assert sessions_table.list_for_user(user_id, session.expires_at) == []


def test_replaying_the_token_from_before_a_reauthentication_never_carries_the_newer_auth_time(
        local_api, signed_in, monkeypatch):
    """The grace rule answers a lost refresh response; it must not hand the step-up someone else just
    made (with the password) to whoever replays the token that was current before it."""
    import jwt

    from tests.handlers.conftest import signed_in_event
    from tests.support import PASSWORD

    signed_in_at = jwt.decode(signed_in["accessToken"], options={"verify_signature": False})["auth_time"]
    later = clock.now() + 700  # past the step-up window
    monkeypatch.setattr(clock, "now", lambda: later)
    event = signed_in_event("reauthenticate", signed_in["user"], access_token=signed_in["accessToken"])
    event["body"] = json.dumps({"password": PASSWORD})
    stepped_up = invoke(local_api, "ReauthenticateFunction", event)
    assert stepped_up["statusCode"] == 200, stepped_up["body"]
    fresh = body_of(stepped_up)["data"]
    assert jwt.decode(fresh["accessToken"], options={"verify_signature": False})["auth_time"] == later

    replay = refresh(local_api, signed_in["refreshToken"])  # within the grace window of that rotation
    if replay["statusCode"] == 200:
        for token in (body_of(replay)["data"]["accessToken"], body_of(replay)["data"]["refreshToken"]):
            assert jwt.decode(token, options={"verify_signature": False}).get("auth_time", 0) <= signed_in_at
    assert replay["statusCode"] == 401 and body_of(replay)["error"]["code"] == "INVALID_TOKEN", replay["body"]
    onward = refresh(local_api, fresh["refreshToken"])  # the session lives on for the one who stepped up
    assert onward["statusCode"] == 200, onward["body"]
    assert jwt.decode(body_of(onward)["data"]["accessToken"], options={"verify_signature": False})["auth_time"] == later
