"""Races against the organization's invariants, with real threads (each its own handler call, moto
behind): the organization always keeps an admin, one invitation creates one user, and no sign-in
racing a removal or a role change leaves a session that outlives it or carries the old role."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest

from tests.handlers.conftest import accept, authorize, body_of, call, code_of, invite, invoke, join, register, sign_in
from tests.support import PASSWORD, load_event, unique_email


def at_once(*calls):
    """Runs each call in its own thread, released together; their results in order."""
    start = Barrier(len(calls))

    def run(fn):
        start.wait()
        return fn()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [f.result() for f in [pool.submit(run, fn) for fn in calls]]


def admins_of(organization_id: str) -> tuple[int, int]:
    """(admins among the organization's users, the organization's stored admin count)."""
    from latchkey.settings import get_settings
    from latchkey.store.dynamodb import client

    table = get_settings().accounts_table
    users = client.scan(TableName=table, ConsistentRead=True,
                        FilterExpression="organizationId = :org AND begins_with(pk, :u)",
                        ExpressionAttributeValues={":org": {"S": organization_id}, ":u": {"S": "USER#"}})["Items"]
    org = client.get_item(TableName=table, Key={"pk": {"S": f"ORG#{organization_id}"}}, ConsistentRead=True)["Item"]
    return sum(u["role"]["S"] == "ADMIN" for u in users), int(org["adminCount"]["N"])


def set_role(local_api, actor: dict, target: dict, role: str):
    return lambda: call(local_api, "UpdateMemberFunction", "update_member", actor, role="ADMIN",
                        body={"role": role}, params={"userId": target["id"]})


def remove(local_api, actor: dict, target: dict):
    return lambda: call(local_api, "RemoveMemberFunction", "remove_member", actor, role="ADMIN",
                        params={"userId": target["id"]})


@pytest.mark.parametrize("trial", range(4))
def test_two_admins_demoting_each_other_at_once_leave_one_admin(local_api, outbox, trial):
    first = register(local_api, "admin")[1]["user"]
    second = join(local_api, outbox, first, role="ADMIN")["user"]
    results = at_once(set_role(local_api, first, second, "MEMBER"), set_role(local_api, second, first, "MEMBER"))
    assert sorted(r["statusCode"] for r in results) == [200, 409], [r["body"] for r in results]
    assert code_of(next(r for r in results if r["statusCode"] == 409)) == "LAST_ADMIN"
    assert admins_of(first["organizationId"]) == (1, 1)


@pytest.mark.parametrize("trial", range(3))
def test_three_admins_each_demoting_and_removing_the_others_at_once_leave_at_least_one(local_api, outbox, trial):
    first = register(local_api, "admin")[1]["user"]
    admins = [first, *(join(local_api, outbox, first, role="ADMIN")["user"] for _ in range(2))]
    moves = [set_role(local_api, a, b, "MEMBER") if (i + j) % 2 else remove(local_api, a, b)
             for i, a in enumerate(admins) for j, b in enumerate(admins) if a is not b]
    moves += [remove(local_api, a, a) for a in admins]  # and every one of them leaving
    results = at_once(*moves)
    assert all(r["statusCode"] in (200, 404, 409) for r in results), [r["body"] for r in results]
    left, count = admins_of(first["organizationId"])
    assert left >= 1 and left == count


@pytest.mark.parametrize("trial", range(3))
def test_parallel_accepts_of_one_invitation_create_one_user(local_api, outbox, trial):
    admin = register(local_api, "admin")[1]["user"]
    email = unique_email("racer")
    invite(local_api, admin, email)
    token = outbox[email][0]
    results = at_once(*[lambda i=i: accept(local_api, token, name=f"Racer {i}") for i in range(6)])
    statuses = sorted(r["statusCode"] for r in results)
    assert statuses == [201] + [409] * 5, [r["body"] for r in results]
    assert {code_of(r) for r in results if r["statusCode"] == 409} == {"INVITATION_USED"}
    members = body_of(call(local_api, "ListMembersFunction", "list_members", admin))["data"]["members"]
    assert [m["email"] for m in members].count(email) == 1


@pytest.mark.parametrize("trial", range(3))
def test_an_accept_racing_a_revocation_either_joins_or_is_refused_never_both(local_api, outbox, trial):
    admin = register(local_api, "admin")[1]["user"]
    email = unique_email("racer")
    invitation = body_of(invite(local_api, admin, email))["data"]
    accepted, revoked = at_once(lambda: accept(local_api, outbox[email][0]),
                                lambda: call(local_api, "RevokeInvitationFunction", "revoke_invitation", admin,
                                             params={"id": invitation["id"]}))
    outcome = (accepted["statusCode"], revoked["statusCode"])
    assert outcome in ((201, 404), (401, 200)), (accepted["body"], revoked["body"])
    if outcome == (401, 200):
        assert code_of(accepted) == "INVITATION_REVOKED"


def try_sign_in(local_api, member: dict) -> dict | None:
    """A login's tokens, or None if it was refused (401 after a removal, 503 while a change landed)."""
    try:
        return sign_in(local_api, member["email"])
    except AssertionError:
        return None


def live_sessions(user_id: str) -> list:
    from latchkey.rules import clock
    from latchkey.store import sessions_table

    return sessions_table.list_for_user(user_id, clock.now())


@pytest.mark.parametrize("trial", range(4))
def test_a_sign_in_racing_the_members_removal_leaves_no_live_session(local_api, outbox, trial):
    admin = register(local_api, "admin")[1]["user"]
    member = join(local_api, outbox, admin)["user"]

    signed_in, removed = at_once(lambda: try_sign_in(local_api, member), remove(local_api, admin, member))
    assert removed["statusCode"] == 200, removed["body"]
    assert live_sessions(member["id"]) == []
    if signed_in:
        assert authorize(local_api, signed_in["accessToken"])["context"]["code"] == "SESSION_REVOKED"


@pytest.mark.parametrize("trial", range(4))
def test_a_sign_in_racing_a_role_change_never_keeps_the_old_role(local_api, outbox, trial):
    admin = register(local_api, "admin")[1]["user"]
    member = join(local_api, outbox, admin)["user"]

    signed_in, promoted = at_once(lambda: try_sign_in(local_api, member), set_role(local_api, admin, member, "ADMIN"))
    assert promoted["statusCode"] == 200, promoted["body"]
    assert {s.role for s in live_sessions(member["id"])} == {"ADMIN"}
    if signed_in:
        assert authorize(local_api, signed_in["accessToken"])["context"]["role"] == "ADMIN"


@pytest.mark.parametrize("change", ["removed", "promoted"])
def test_a_sign_in_that_read_the_member_before_a_change_landed_starts_no_stale_session(
        local_api, outbox, monkeypatch, change):
    """The race above, made certain: the change lands between the sign-in's read of the user and its
    write of the session. The session's transaction holds the user to what was read: 503, no session."""
    from latchkey.store import accounts_table

    admin = register(local_api, "admin")[1]["user"]
    member = join(local_api, outbox, admin)["user"]
    before = {s.id for s in live_sessions(member["id"])}
    real_get_user = accounts_table.get_user

    def read_then_change(user_id):
        found = real_get_user(user_id)
        monkeypatch.setattr(accounts_table, "get_user", real_get_user)
        make_change = remove(local_api, admin, member) if change == "removed" else set_role(
            local_api, admin, member, "ADMIN")
        done = make_change()
        assert done["statusCode"] == 200, done["body"]
        return found

    monkeypatch.setattr(accounts_table, "get_user", read_then_change)
    event = load_event("login")
    event["body"] = f'{{"email": "{member["email"]}", "password": "{PASSWORD}"}}'
    response = invoke(local_api, "LoginFunction", event)
    assert response["statusCode"] == 503 and code_of(response) == "SERVICE_UNAVAILABLE", response["body"]
    assert {s.id for s in live_sessions(member["id"])} <= before
    assert all(s.role == ("ADMIN" if change == "promoted" else "MEMBER") for s in live_sessions(member["id"]))
    if change == "promoted":  # sent again, it signs in with the role as it now stands
        assert authorize(local_api, sign_in(local_api, member["email"])["accessToken"])["context"]["role"] == "ADMIN"
