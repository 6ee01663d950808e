"""Session rules that need the clock to move: the grace window closing, and the session's absolute
end (items past their TTL are absent on read even though DynamoDB - and moto - delete them late)."""

import json

import pytest

from latchkey.rules import clock
from tests.conftest import load_event
from tests.handlers.conftest import body_of, invoke, register


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
