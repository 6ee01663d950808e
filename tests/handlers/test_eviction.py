"""Eviction is complete (issue 23): what a removed, demoted or deleted user set up ends with them, and a
503 is never final. A removed or demoted admin's invitations are revoked and, if one is still pending,
refused at accept; a refresh of a removed or deleted user's session is refused and ends it; and for
remove-member, delete-account, change-password and logout-all, a fault at any write of the request
answers 503 and the same request sent again finishes the job: no session, key or invitation that
should have ended survives."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from botocore.exceptions import ClientError

from latchkey.rules import clock
from tests.handlers.conftest import (
    accept,
    authorize,
    authorize_key,
    body_of,
    call,
    code_of,
    invite,
    invoke,
    join,
    new_key,
    register,
    sign_in,
    signed_in_event,
)
from tests.handlers.test_busy_writes import (  # noqa: F401 - dynamodb: the fixture, pauses recorded
    cancelled,
    dynamodb,
    enrolled,
    verify_event,
)
from tests.support import PASSWORD, load_event, unique_email

_WRITES = ("transact_write_items", "update_item", "put_item", "delete_item", "batch_write_item")


def live_sessions(user_id: str) -> set[str]:
    from latchkey.store import sessions_table

    return {s.id for s in sessions_table.list_for_user(user_id, clock.now())}


def refresh(local_api, refresh_token: str) -> dict:
    event = load_event("refresh")
    event["body"] = json.dumps({"refreshToken": refresh_token})
    return invoke(local_api, "RefreshFunction", event)


def allowed(answer: dict) -> bool:
    return answer["policyDocument"]["Statement"][0]["Effect"] == "Allow"


def refused_invitation(response: dict) -> bool:
    return response["statusCode"] in (400, 401, 409, 410) and code_of(response) in (
        "INVALID_INVITATION", "INVITATION_REVOKED")


# --- a removed or demoted admin's invitations ---------------------------------------------------------


def test_a_demoted_admins_pending_invitation_is_revoked_and_cannot_make_an_admin(local_api, outbox):
    owner = register(local_api, "owner")[1]["user"]
    rogue = join(local_api, outbox, owner, role="ADMIN")["user"]
    address = unique_email("rejoin")
    assert invite(local_api, rogue, address, "ADMIN")["statusCode"] == 201
    demoted = call(local_api, "UpdateMemberFunction", "update_member", owner, body={"role": "MEMBER"},
                   params={"userId": rogue["id"]})
    assert demoted["statusCode"] == 200, demoted["body"]
    listed = body_of(call(local_api, "ListInvitationsFunction", "list_invitations", owner))["data"]["invitations"]
    assert address not in [i["email"] for i in listed]
    response = accept(local_api, outbox[address][-1])
    assert refused_invitation(response), response["body"]


def test_a_removed_admins_invitation_cannot_make_an_admin_even_while_still_pending(local_api, outbox, monkeypatch):
    """The accept's own check: an invitation the removal's revocation did not reach (the index not yet
    showing it, or an accept racing the removal) is refused as invalid, with nothing created."""
    from latchkey.store import accounts_table, invitations_table

    owner = register(local_api, "owner")[1]["user"]
    rogue = join(local_api, outbox, owner, role="ADMIN")["user"]
    address = unique_email("rejoin")
    assert invite(local_api, rogue, address, "ADMIN")["statusCode"] == 201
    monkeypatch.setattr(invitations_table, "revoke_sent_by", lambda *args: 0, raising=False)
    removed = call(local_api, "RemoveMemberFunction", "remove_member", owner, params={"userId": rogue["id"]})
    assert removed["statusCode"] == 200, removed["body"]
    response = accept(local_api, outbox[address][-1])
    assert response["statusCode"] == 401 and code_of(response) == "INVALID_INVITATION", response["body"]
    assert accounts_table.find_credentials(address) is None


def test_an_invitation_of_an_admin_who_deleted_their_account_is_refused(local_api, outbox):
    owner = register(local_api, "owner")[1]["user"]
    leaving = join(local_api, outbox, owner, role="ADMIN")
    address = unique_email("orphan")
    assert invite(local_api, leaving["user"], address, "ADMIN")["statusCode"] == 201
    event = signed_in_event("delete_account", leaving["user"], access_token=leaving["accessToken"])
    event["body"] = json.dumps({"password": PASSWORD})
    assert invoke(local_api, "DeleteAccountFunction", event)["statusCode"] == 200
    response = accept(local_api, outbox[address][-1])
    assert refused_invitation(response), response["body"]


def test_a_current_admins_invitation_still_joins(local_api, outbox):
    owner = register(local_api, "owner")[1]["user"]
    other = join(local_api, outbox, owner, role="ADMIN")["user"]
    joined = join(local_api, outbox, other, role="ADMIN")["user"]
    assert joined["organizationId"] == owner["organizationId"] and joined["role"] == "ADMIN"


# --- refresh checks that the user remains --------------------------------------------------------------


def test_a_removed_members_surviving_session_is_not_refreshed_and_ends(local_api, outbox, monkeypatch):
    """A session the removal did not end (a fault, or a sign-in racing it) is refused at its next
    refresh with the revoked session's 401, and the family ends there."""
    from latchkey.usecases import sessions

    owner = register(local_api, "owner")[1]["user"]
    member = join(local_api, outbox, owner)
    monkeypatch.setattr(sessions, "end_sessions", lambda *args, **kwargs: 0)
    removed = call(local_api, "RemoveMemberFunction", "remove_member", owner, params={"userId": member["user"]["id"]})
    assert removed["statusCode"] == 200, removed["body"]
    assert live_sessions(member["user"]["id"])  # the foothold this test is about
    response = refresh(local_api, member["refreshToken"])
    assert response["statusCode"] == 401 and code_of(response) == "SESSION_REVOKED", response["body"]
    assert live_sessions(member["user"]["id"]) == set()
    assert authorize(local_api, member["accessToken"])["context"]["code"] == "SESSION_REVOKED"


def test_a_deleted_accounts_surviving_session_is_not_refreshed_and_ends(local_api, monkeypatch):
    from latchkey.usecases import sessions

    email, data = register(local_api, "deleted")
    other = sign_in(local_api, email)
    monkeypatch.setattr(sessions, "end_sessions", lambda *args, **kwargs: 0)
    event = signed_in_event("delete_account", data["user"], access_token=data["accessToken"])
    event["body"] = json.dumps({"password": PASSWORD})
    assert invoke(local_api, "DeleteAccountFunction", event)["statusCode"] == 200
    assert live_sessions(data["user"]["id"])
    response = refresh(local_api, other["refreshToken"])
    assert response["statusCode"] == 401 and code_of(response) == "SESSION_REVOKED", response["body"]
    assert live_sessions(data["user"]["id"]) == set()


def test_a_remaining_members_refresh_still_rotates(local_api, outbox):
    owner = register(local_api, "owner")[1]["user"]
    member = join(local_api, outbox, owner)
    response = refresh(local_api, member["refreshToken"])
    assert response["statusCode"] == 200 and body_of(response)["data"]["refreshToken"] != member["refreshToken"]


# --- a 503 is never final: a fault at each write, then the same request again ------------------------


def _throttle(client, operation: str, kwargs: dict) -> Exception:
    if operation == "transact_write_items":
        return cancelled(client, *["ThrottlingError"] * len(kwargs["TransactItems"]))
    return ClientError({"Error": {"Code": "ThrottlingException", "Message": "injected"},
                        "ResponseMetadata": {"HTTPStatusCode": 400}}, operation)


@contextmanager
def writes_then_throttled(client, passing: int) -> Iterator[list[str]]:
    """The stores' writes: the first `passing` go through, every one after is throttled (each of the
    stores' own retries too) while it is open. The writes that went through, by operation."""
    done: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        for operation in _WRITES:
            def write(_real=getattr(client, operation), _operation=operation, **kwargs):
                if len(done) >= passing:
                    done.append("throttled")
                    raise _throttle(client, _operation, kwargs)
                result = _real(**kwargs)
                done.append(_operation)
                return result

            patch.setattr(client, operation, write)
        yield done


Scenario = Callable[[], tuple[str, dict, Callable[[], None]]]


@pytest.fixture
def at_every_write(local_api, dynamodb):  # noqa: F811 - the fixture imported above
    """at_every_write(scenario): for each write of the request in turn, a fresh `scenario()` (its
    function, its event, and the check of the end state); the request with that write and every later
    one throttled, which must answer 503; then the same request again, which must answer 200, and the
    check. Ends with the first run that no fault reached (checked too); how many writes it made."""

    def run(scenario: Scenario) -> int:
        for passing in range(60):
            function, event, check = scenario()
            with writes_then_throttled(dynamodb.client, passing) as done:
                first = invoke(local_api, function, event)
            if "throttled" not in done:  # the whole request fit: no fault reached it
                assert first["statusCode"] == 200, first["body"]
                check()
                return len(done)
            assert first["statusCode"] == 503, (passing, done, first["body"])
            assert body_of(first)["error"]["code"] == "SERVICE_UNAVAILABLE"
            again = invoke(local_api, function, event)
            assert again["statusCode"] == 200, (passing, done, again["body"])
            check()
        raise AssertionError("the request never finished")

    return run


def _event(name: str, signed_in: dict, body: dict | None = None, **path: str) -> dict:
    event = signed_in_event(name, signed_in["user"], access_token=signed_in["accessToken"])
    event["body"] = json.dumps(body) if body is not None else None
    if body is not None:
        event["headers"] = {**(event.get("headers") or {}), "Content-Type": "application/json"}
    if path:
        event["pathParameters"] = path
    return event


def _with_footholds(local_api, outbox) -> tuple[dict, dict, Callable[[], None]]:
    """An organization's owner and a second admin who holds two sessions, an API key and a pending
    invitation (as ADMIN, to another address of theirs); and the check that all of that has ended."""
    owner = register(local_api, "owner")
    rogue = join(local_api, outbox, owner[1]["user"], role="ADMIN")
    second = sign_in(local_api, rogue["user"]["email"])
    key = body_of(new_key(local_api, rogue["user"]))["data"]["key"]
    address = unique_email("rejoin")
    assert invite(local_api, rogue["user"], address, "ADMIN")["statusCode"] == 201

    def nothing_of_theirs_survives() -> None:
        assert live_sessions(rogue["user"]["id"]) == set()
        for tokens in (rogue, second):
            assert refresh(local_api, tokens["refreshToken"])["statusCode"] == 401
        assert not allowed(authorize_key(local_api, key))
        response = accept(local_api, outbox[address][-1])
        assert refused_invitation(response), response["body"]

    return {"accessToken": owner[1]["accessToken"], "user": owner[1]["user"]}, rogue, nothing_of_theirs_survives


def test_remove_member_faulted_at_any_write_finishes_when_sent_again(local_api, outbox, at_every_write):
    def scenario():
        owner, rogue, check = _with_footholds(local_api, outbox)
        return "RemoveMemberFunction", _event("remove_member", owner, userId=rogue["user"]["id"]), check

    assert at_every_write(scenario) >= 4  # the removal, the sessions, the key, the invitation


def test_delete_account_faulted_at_any_write_finishes_when_sent_again(local_api, outbox, at_every_write):
    def scenario():
        _, rogue, check = _with_footholds(local_api, outbox)

        def gone():
            check()
            event = load_event("login")
            event["body"] = json.dumps({"email": rogue["user"]["email"], "password": PASSWORD})
            assert invoke(local_api, "LoginFunction", event)["statusCode"] == 401

        return "DeleteAccountFunction", _event("delete_account", rogue, {"password": PASSWORD}), gone

    assert at_every_write(scenario) >= 4


def test_delete_account_with_two_factor_faulted_at_any_write_finishes_with_the_same_code(local_api, at_every_write):
    """The code is spent by the deletion itself: a fault before it leaves the same code good for the
    same request (today the code was spent first, and the retry was refused as a replayed code)."""

    def scenario():
        email, data, recovery_codes = enrolled(local_api, "leaving-2fa")
        pending = sign_in(local_api, email)["pendingToken"]
        data = body_of(invoke(local_api, "VerifyTwoFactorFunction", verify_event(pending, recovery_codes[1])))["data"]
        body = {"password": PASSWORD, "code": recovery_codes[0]}

        def gone():
            assert live_sessions(data["user"]["id"]) == set()
            event = load_event("login")
            event["body"] = json.dumps({"email": email, "password": PASSWORD})
            assert invoke(local_api, "LoginFunction", event)["statusCode"] == 401

        return "DeleteAccountFunction", _event("delete_account", data, body), gone

    assert at_every_write(scenario) >= 2


def test_change_password_faulted_at_any_write_finishes_when_sent_again(local_api, at_every_write):
    new_password = "a calm new passphrase"

    def scenario():
        email, data = register(local_api, "changing")
        others = [sign_in(local_api, email), sign_in(local_api, email)]
        event = _event("change_password", data, {"currentPassword": PASSWORD, "newPassword": new_password})
        own = event["requestContext"]["authorizer"]["sessionId"]

        def only_this_session_and_the_new_password():
            assert live_sessions(data["user"]["id"]) == {own}
            for tokens in others:
                assert refresh(local_api, tokens["refreshToken"])["statusCode"] == 401
            assert sign_in(local_api, email, new_password)["accessToken"]

        return "ChangePasswordFunction", event, only_this_session_and_the_new_password

    assert at_every_write(scenario) >= 2


def test_logout_all_faulted_at_any_write_finishes_when_sent_again(local_api, at_every_write):
    def scenario():
        email, data = register(local_api, "everywhere")
        others = [sign_in(local_api, email), sign_in(local_api, email)]
        key = body_of(new_key(local_api, data["user"]))["data"]["key"]

        def signed_out_everywhere():
            assert live_sessions(data["user"]["id"]) == set()
            for tokens in (data, *others):
                assert refresh(local_api, tokens["refreshToken"])["statusCode"] == 401
            assert not allowed(authorize_key(local_api, key))

        return "LogoutAllFunction", _event("logout_all", data, {"revokeApiKeys": True}), signed_out_everywhere

    assert at_every_write(scenario) >= 3
