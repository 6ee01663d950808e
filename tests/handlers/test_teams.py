"""Teams through the handlers: invitations (one-time, hashed, replaced, refused with clear codes),
members, role changes the authorizer sees on the next request with its one read, removal, and the
organization that always keeps an admin."""

from __future__ import annotations

import json
import time

import pytest

from latchkey.rules import ids
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
    write_scope,
)
from tests.support import PASSWORD, load_event, unique_email


@pytest.fixture
def admin(local_api) -> dict:
    return register(local_api, "admin")[1]["user"]


def user_items(email: str):
    from latchkey.rules.records import normalize_email
    from latchkey.settings import get_settings
    from latchkey.store.dynamodb import client

    key = {"pk": {"S": f"EMAIL#{normalize_email(email)}"}}
    return client.get_item(TableName=get_settings().accounts_table, Key=key, ConsistentRead=True).get("Item")


# --- invitations -------------------------------------------------------------------------------------


def test_an_invitation_answers_its_record_and_never_its_token_which_is_stored_hashed(local_api, outbox, admin):
    email = unique_email("invitee")
    response = invite(local_api, admin, email)
    assert response["statusCode"] == 201, response["body"]
    data = body_of(response)["data"]
    assert set(data) == {"id", "email", "role", "invitedBy", "createdAt", "expiresAt"}
    assert data["email"] == email and data["role"] == "MEMBER" and data["invitedBy"] == admin["id"]
    (token,) = outbox[email]
    invitation_id, _, secret = token.partition(".")
    assert invitation_id == data["id"] and len(secret) >= 43  # 256 bits, base64url: at least 128 bits
    created = time.mktime(time.strptime(data["createdAt"], "%Y-%m-%dT%H:%M:%SZ"))
    expires = time.mktime(time.strptime(data["expiresAt"], "%Y-%m-%dT%H:%M:%SZ"))
    assert expires - created == 7 * 24 * 3600
    listed = call(local_api, "ListInvitationsFunction", "list_invitations", admin)
    assert listed["statusCode"] == 200 and body_of(listed)["data"]["invitations"] == [data]
    assert secret not in listed["body"] and secret not in response["body"]
    from latchkey.settings import get_settings
    from latchkey.store.dynamodb import client

    stored = client.scan(TableName=get_settings().invitations_table, ConsistentRead=True)["Items"]
    assert secret not in json.dumps(stored) and token not in json.dumps(stored)


def test_inviting_an_address_again_replaces_the_earlier_invitation(local_api, outbox, admin):
    email = unique_email("again")
    first = body_of(invite(local_api, admin, email))["data"]
    second = body_of(invite(local_api, admin, email, "ADMIN"))["data"]
    pending = body_of(call(local_api, "ListInvitationsFunction", "list_invitations", admin))["data"]["invitations"]
    assert [i["id"] for i in pending] == [second["id"]] and first["id"] != second["id"]
    old, new = outbox[email]
    refused = accept(local_api, old)
    assert refused["statusCode"] == 401 and code_of(refused) == "INVITATION_REVOKED"
    assert user_items(email) is None
    joined = accept(local_api, new)
    assert joined["statusCode"] == 201 and body_of(joined)["data"]["user"]["role"] == "ADMIN"


def test_inviting_an_address_that_has_an_account_is_409(local_api, outbox, admin):
    email, _ = register(local_api, "taken")
    response = invite(local_api, admin, email.upper())
    assert response["statusCode"] == 409 and code_of(response) == "EMAIL_TAKEN"
    assert "one organization per user" in body_of(response)["error"]["message"]


def test_accepting_answers_exactly_the_login_body_and_joins_the_inviting_organization(local_api, outbox, admin):
    email = unique_email("joiner")
    invite(local_api, admin, email)
    response = accept(local_api, outbox[email][0], name="Grace Hopper")
    assert response["statusCode"] == 201, response["body"]
    data = body_of(response)["data"]
    logged_in = sign_in(local_api, email)
    assert set(data) == set(logged_in) and set(data["user"]) == set(logged_in["user"])
    assert data["user"] | {} == logged_in["user"]
    assert data["user"]["organizationId"] == admin["organizationId"] and data["user"]["role"] == "MEMBER"
    assert data["user"]["name"] == "Grace Hopper"
    assert authorize(local_api, data["accessToken"])["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    assert _user_item(data["user"]["id"])["emailVerified"] == {"BOOL": True}


def _user_item(user_id: str) -> dict:
    from latchkey.settings import get_settings
    from latchkey.store.dynamodb import client

    return client.get_item(TableName=get_settings().accounts_table, Key={"pk": {"S": f"USER#{user_id}"}},
                           ConsistentRead=True)["Item"]


def test_a_used_revoked_expired_or_forged_token_is_refused_with_its_code_and_creates_nothing(
        local_api, outbox, admin):
    from latchkey.settings import get_settings
    from latchkey.store.dynamodb import client

    used, revoked, expired = (unique_email(tag) for tag in ("used", "revoked", "expired"))
    for email in (used, revoked, expired):
        invite(local_api, admin, email)
    assert accept(local_api, outbox[used][0])["statusCode"] == 201
    revoked_id = outbox[revoked][0].partition(".")[0]
    assert call(local_api, "RevokeInvitationFunction", "revoke_invitation", admin,
                params={"id": revoked_id})["statusCode"] == 200
    client.update_item(TableName=get_settings().invitations_table,
                       Key={"invitationId": {"S": outbox[expired][0].partition(".")[0]}},
                       UpdateExpression="SET expiresAt = :past", ExpressionAttributeValues={":past": {"N": "1"}})
    real_id, _, secret = outbox[expired][0].partition(".")
    cases = {
        outbox[used][0]: (409, "INVITATION_USED"),
        outbox[revoked][0]: (401, "INVITATION_REVOKED"),
        outbox[expired][0]: (401, "INVITATION_EXPIRED"),
        # A real id, a forged secret, which tells nothing: its last character changed (to "A" unless it was
        # one already: then the forged token was the real one, 1 run in 64).
        f"{real_id}.{secret[:-1]}{'B' if secret.endswith('A') else 'A'}": (401, "INVALID_INVITATION"),
        f"{ids.new_id(ids.INVITATION)}.{secret}": (401, "INVALID_INVITATION"),
        "not-a-token": (401, "INVALID_INVITATION"),
    }
    for token, (status, code) in cases.items():
        response = accept(local_api, token)
        assert (response["statusCode"], code_of(response)) == (status, code), token
    assert user_items(revoked) is None and user_items(expired) is None
    gone = call(local_api, "RevokeInvitationFunction", "revoke_invitation", admin, params={"id": revoked_id})
    assert gone["statusCode"] == 404 and code_of(gone) == "INVITATION_NOT_FOUND"


def test_invitations_and_member_changes_are_admin_only_step_up_actions(local_api, outbox, admin):
    member = join(local_api, outbox, admin)["user"]
    refused = invite(local_api, member, unique_email("nope"))
    assert refused["statusCode"] == 403 and code_of(refused) == "ADMIN_ONLY"
    for function, event in [("UpdateMemberFunction", "update_member"), ("RemoveMemberFunction", "remove_member"),
                            ("EndMemberSessionsFunction", "end_member_sessions"),
                            ("ListInvitationsFunction", "list_invitations")]:
        response = call(local_api, function, event, member, body={"role": "ADMIN"} if event == "update_member"
                        else None, params={"userId": admin["id"]})
        assert response["statusCode"] == 403 and code_of(response) == "ADMIN_ONLY", function
    stale = int(time.time()) - 3600
    response = invite(local_api, admin, unique_email("stale"), auth_time=stale)
    assert response["statusCode"] == 403 and code_of(response) == "REAUTHENTICATION_REQUIRED"
    response = call(local_api, "UpdateMemberFunction", "update_member", admin, body={"role": "ADMIN"},
                    params={"userId": member["id"]}, auth_time=stale)
    assert response["statusCode"] == 403 and code_of(response) == "REAUTHENTICATION_REQUIRED"


@pytest.fixture
def mid_window(monkeypatch) -> int:
    """The clock pinned at 12:30 UTC today: mid-day and mid-hour, so a fixed-window budget cannot roll
    over while a test spends it (whatever the time of day the test runs at)."""
    from latchkey.rules import clock

    now = int(time.time())
    pinned = now - now % 86400 + 12 * 3600 + 1800
    monkeypatch.setattr(clock, "now", lambda: pinned)
    return pinned


def test_an_address_gets_at_most_its_daily_budget_of_invitations_from_anyone(local_api, outbox, admin, mid_window):
    from latchkey.settings import get_settings

    email, budget = unique_email("budget"), get_settings().invitation_emails_per_address
    for _ in range(budget):
        assert invite(local_api, admin, email, auth_time=mid_window)["statusCode"] == 201
    (pending,) = body_of(call(local_api, "ListInvitationsFunction", "list_invitations", admin))["data"]["invitations"]
    refused = invite(local_api, admin, email.upper(), auth_time=mid_window)
    assert refused["statusCode"] == 429 and code_of(refused) == "RATE_LIMITED", refused["body"]
    assert 0 < int(refused["headers"]["Retry-After"]) <= 86400
    other_admin = register(local_api, "other-org")[1]["user"]
    assert code_of(invite(local_api, other_admin, email, auth_time=mid_window)) == "RATE_LIMITED", "any organization"
    assert len(outbox[email]) == budget, "no mail past the budget"
    listed = body_of(call(local_api, "ListInvitationsFunction", "list_invitations", admin))["data"]["invitations"]
    assert listed == [pending], "nothing created or replaced"
    assert invite(local_api, admin, unique_email("another"), auth_time=mid_window)["statusCode"] == 201


def test_an_organization_sends_at_most_its_hourly_budget_of_invitations(local_api, outbox, admin, mid_window,
                                                                          monkeypatch):
    from latchkey.usecases import invitations

    settings = invitations.get_settings()
    monkeypatch.setattr(invitations, "get_settings", lambda: settings._replace(invitation_emails_per_organization=3))
    for _ in range(3):
        assert invite(local_api, admin, unique_email("team"), auth_time=mid_window)["statusCode"] == 201
    spared = unique_email("spared")
    refused = invite(local_api, admin, spared, auth_time=mid_window)
    assert refused["statusCode"] == 429 and code_of(refused) == "RATE_LIMITED", refused["body"]
    assert 0 < int(refused["headers"]["Retry-After"]) <= 3600 and spared not in outbox
    other_admin = register(local_api, "other-org")[1]["user"]
    assert invite(local_api, other_admin, spared, auth_time=mid_window)["statusCode"] == 201, "its own budget"


# --- members -----------------------------------------------------------------------------------------


def test_members_list_the_organization_only_paged(local_api, outbox, admin):
    joined = [join(local_api, outbox, admin)["user"] for _ in range(2)]
    register(local_api, "stranger")
    member = joined[0]
    first = call(local_api, "ListMembersFunction", "list_members", member)
    assert first["statusCode"] == 200, first["body"]
    listed = body_of(first)["data"]["members"]
    assert [m["id"] for m in listed] == [admin["id"], *(u["id"] for u in joined)]
    assert set(listed[0]) == {"id", "name", "email", "role", "twoFactorEnabled", "createdAt"}
    event = signed_in_event("list_members", member)
    event["queryStringParameters"] = {"limit": "2"}
    page = body_of(invoke(local_api, "ListMembersFunction", event))["data"]
    assert len(page["members"]) == 2 and page["nextCursor"]
    event["queryStringParameters"] = {"limit": "2", "cursor": page["nextCursor"]}
    rest = body_of(invoke(local_api, "ListMembersFunction", event))["data"]
    assert [m["id"] for m in rest["members"]] == [joined[1]["id"]] and rest["nextCursor"] is None


def test_a_role_change_counts_on_the_members_next_request_with_the_authorizers_one_read(local_api, outbox, admin):
    from local import iam

    signed_in = join(local_api, outbox, admin)
    member, token = signed_in["user"], signed_in["accessToken"]
    assert authorize(local_api, token)["context"]["role"] == "MEMBER"
    promoted = call(local_api, "UpdateMemberFunction", "update_member", admin, body={"role": "ADMIN"},
                    params={"userId": member["id"]})
    assert promoted["statusCode"] == 200 and body_of(promoted)["data"]["role"] == "ADMIN"
    before = len(iam.calls)
    context = authorize(local_api, token)["context"]  # the same token, issued while a member
    assert context["role"] == "ADMIN"
    assert [c for c in iam.calls[before:] if c.startswith("dynamodb:")] == ["dynamodb:GetItem"]
    demoted = call(local_api, "UpdateMemberFunction", "update_member", admin, body={"role": "MEMBER"},
                   params={"userId": member["id"]})
    assert demoted["statusCode"] == 200
    assert authorize(local_api, token)["context"]["role"] == "MEMBER"
    refreshed = _refresh(local_api, signed_in["refreshToken"])
    assert authorize(local_api, refreshed["accessToken"])["context"]["role"] == "MEMBER"


def _refresh(local_api, refresh_token: str) -> dict:
    event = load_event("refresh")
    event["body"] = json.dumps({"refreshToken": refresh_token})
    response = invoke(local_api, "RefreshFunction", event)
    assert response["statusCode"] == 200, response["body"]
    return body_of(response)["data"]


def test_the_last_admin_cannot_be_demoted_or_removed_or_leave(local_api, outbox, admin):
    member = join(local_api, outbox, admin)["user"]
    for function, event, body in [("UpdateMemberFunction", "update_member", {"role": "MEMBER"}),
                                  ("RemoveMemberFunction", "remove_member", None)]:
        response = call(local_api, function, event, admin, body=body, params={"userId": admin["id"]})
        assert response["statusCode"] == 409 and code_of(response) == "LAST_ADMIN", function
    # with a second admin, the first may step down (and then cannot act as an admin)
    call(local_api, "UpdateMemberFunction", "update_member", admin, body={"role": "ADMIN"},
         params={"userId": member["id"]})
    left = call(local_api, "RemoveMemberFunction", "remove_member", admin, params={"userId": admin["id"]})
    assert left["statusCode"] == 200, left["body"]
    last = call(local_api, "UpdateMemberFunction", "update_member", member, role="ADMIN", body={"role": "MEMBER"},
                params={"userId": member["id"]})
    assert last["statusCode"] == 409 and code_of(last) == "LAST_ADMIN"


def test_removal_ends_sessions_and_revokes_the_members_keys_at_once(local_api, outbox, admin):
    signed_in = join(local_api, outbox, admin)
    member = signed_in["user"]
    key = body_of(new_key(local_api, member))["data"]["key"]
    kept = body_of(new_key(local_api, admin))["data"]["key"]
    assert authorize_key(local_api, key)["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    removed = call(local_api, "RemoveMemberFunction", "remove_member", admin, params={"userId": member["id"]})
    assert removed["statusCode"] == 200, removed["body"]
    assert body_of(removed)["data"] == {"removed": member["id"], "sessionsRevoked": 1, "apiKeysRevoked": 1}
    assert authorize(local_api, signed_in["accessToken"])["context"]["code"] == "SESSION_REVOKED"
    assert authorize_key(local_api, key)["context"]["code"] == "API_KEY_REVOKED"
    assert authorize_key(local_api, kept)["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    event = load_event("login")
    event["body"] = json.dumps({"email": member["email"], "password": PASSWORD})
    assert invoke(local_api, "LoginFunction", event)["statusCode"] == 401
    again = call(local_api, "RemoveMemberFunction", "remove_member", admin, params={"userId": member["id"]})
    assert again["statusCode"] == 404 and code_of(again) == "MEMBER_NOT_FOUND"


def test_an_admin_ends_every_session_of_a_member(local_api, outbox, admin):
    signed_in = join(local_api, outbox, admin)
    second = sign_in(local_api, signed_in["user"]["email"])
    ended = call(local_api, "EndMemberSessionsFunction", "end_member_sessions", admin,
                 params={"userId": signed_in["user"]["id"]})
    assert ended["statusCode"] == 200 and body_of(ended)["data"] == {"sessionsRevoked": 2}
    for tokens in (signed_in, second):
        assert authorize(local_api, tokens["accessToken"])["context"]["code"] == "SESSION_REVOKED"


def test_a_demoted_admins_write_scoped_keys_are_revoked_and_read_keys_stay(local_api, outbox, admin):
    other = join(local_api, outbox, admin, role="ADMIN")["user"]
    write = body_of(new_key(local_api, other, scopes=(write_scope(),)))["data"]["key"]
    read = body_of(new_key(local_api, other))["data"]["key"]
    call(local_api, "UpdateMemberFunction", "update_member", admin, body={"role": "MEMBER"},
         params={"userId": other["id"]})
    assert authorize_key(local_api, write)["context"]["code"] == "API_KEY_REVOKED"
    assert authorize_key(local_api, read)["policyDocument"]["Statement"][0]["Effect"] == "Allow"


def test_another_organizations_user_or_invitation_is_404_on_every_route(local_api, outbox, admin):
    _, stranger = register(local_api, "stranger")
    their_member = join(local_api, outbox, stranger["user"])["user"]
    their_invitation = body_of(invite(local_api, stranger["user"], unique_email("theirs")))["data"]["id"]
    for target in (stranger["user"]["id"], their_member["id"], ids.new_id(ids.USER), "user_bogus"):
        for function, event, body in [("UpdateMemberFunction", "update_member", {"role": "ADMIN"}),
                                      ("RemoveMemberFunction", "remove_member", None),
                                      ("EndMemberSessionsFunction", "end_member_sessions", None)]:
            response = call(local_api, function, event, admin, body=body, params={"userId": target})
            assert response["statusCode"] == 404 and code_of(response) == "MEMBER_NOT_FOUND", (function, target)
    response = call(local_api, "RevokeInvitationFunction", "revoke_invitation", admin,
                    params={"id": their_invitation})
    assert response["statusCode"] == 404 and code_of(response) == "INVITATION_NOT_FOUND"
    assert body_of(call(local_api, "ListMembersFunction", "list_members", stranger["user"]))["data"]["members"][1][
        "role"] == "MEMBER"


def test_an_address_no_mail_can_reach_is_refused_in_words_before_anything_is_written(local_api, admin):
    for address in ("a:b@c.d", "a(@b.c", "x<a@b.c"):
        response = invite(local_api, admin, address)
        assert response["statusCode"] == 400 and code_of(response) == "VALIDATION_FAILED", address
        assert body_of(response)["error"]["details"] == [
            {"field": "email", "message": "must be an email address mail can be sent to"}]


def test_accepting_with_a_common_password_is_refused_like_registration_and_leaves_the_invitation_good(
        local_api, outbox, admin):
    email = unique_email("common")
    invite(local_api, admin, email)
    common = accept(local_api, outbox[email][0], password="password123")
    assert common["statusCode"] == 400 and code_of(common) == "PASSWORD_TOO_COMMON"
    assert user_items(email) is None
    assert accept(local_api, outbox[email][0])["statusCode"] == 201


# --- deleting an account (issue 14) in an organization with members --------------------------------


def _delete_account(local_api, signed_in: dict) -> tuple[int, str]:
    event = signed_in_event("delete_account", signed_in["user"], access_token=signed_in["accessToken"])
    event["body"] = json.dumps({"password": PASSWORD})
    response = invoke(local_api, "DeleteAccountFunction", event)
    return response["statusCode"], body_of(response).get("error", {}).get("code", "")


def _set_role(local_api, by: dict, member: dict, role: str) -> dict:
    return call(local_api, "UpdateMemberFunction", "update_member", by, body={"role": role},
                params={"userId": member["id"]})


def test_the_sole_admin_with_members_cannot_delete_their_account_and_an_admin_who_does_is_counted_out(
        local_api, outbox):
    signed_in = register(local_api, "sole-admin")[1]
    admin = signed_in["user"]
    member = join(local_api, outbox, admin)["user"]
    assert _delete_account(local_api, signed_in) == (409, "SOLE_ADMIN")
    assert _set_role(local_api, admin, member, "ADMIN")["statusCode"] == 200
    assert _delete_account(local_api, signed_in) == (200, "")
    # one admin is left, and the organization's count says so: they cannot step down
    member = {**member, "role": "ADMIN"}
    last = _set_role(local_api, member, member, "MEMBER")
    assert last["statusCode"] == 409 and code_of(last) == "LAST_ADMIN"
    listed = call(local_api, "ListMembersFunction", "list_members", member)
    assert [m["id"] for m in body_of(listed)["data"]["members"]] == [member["id"]]


def test_a_member_deleting_their_account_leaves_the_organization_and_its_admin(local_api, outbox, admin):
    joined = join(local_api, outbox, admin)
    assert _delete_account(local_api, joined) == (200, "")
    listed = call(local_api, "ListMembersFunction", "list_members", admin)
    assert [m["id"] for m in body_of(listed)["data"]["members"]] == [admin["id"]]
    last = _set_role(local_api, admin, admin, "MEMBER")
    assert last["statusCode"] == 409 and code_of(last) == "LAST_ADMIN"


def test_an_admin_deleting_their_account_while_the_other_admin_is_demoted_gets_409_and_stays(
        local_api, outbox, monkeypatch):
    from latchkey.store import accounts_table
    from latchkey.usecases import organizations

    signed_in = register(local_api, "racing-admin")[1]
    admin = signed_in["user"]
    other = join(local_api, outbox, admin, role="ADMIN")["user"]
    stale = organizations.other_members(accounts_table.get_user(admin["id"]))  # read before the demotion
    assert [m.role for m in stale] == ["ADMIN"]
    assert _set_role(local_api, admin, other, "MEMBER")["statusCode"] == 200
    monkeypatch.setattr(organizations, "other_members", lambda user: stale)
    assert _delete_account(local_api, signed_in) == (409, "SOLE_ADMIN")
    assert accounts_table.get_user(admin["id"]) is not None


# --- the organization's settings ---------------------------------------------------------------------


def set_redirect(local_api, admin: dict, url: str | None, **kwargs) -> dict:
    return call(local_api, "UpdateOrganizationFunction", "update_organization", admin,
                body={"resultRedirectUrl": url}, **kwargs)


def redirect_notices(local_api, to: str) -> list[dict]:
    from tests.handlers.conftest import mailed

    return [m for m in mailed(local_api, to) if "result" in m["subject"] and "organization" in m["subject"]]


def test_the_redirect_url_is_a_step_up_action_audited_and_every_admin_is_told(local_api, outbox, admin):
    other_admin = join(local_api, outbox, admin, role="ADMIN")["user"]
    member = join(local_api, outbox, admin)["user"]
    stale = set_redirect(local_api, admin, "https://evil.example/steal", auth_time=int(time.time()) - 3600)
    assert stale["statusCode"] == 403 and code_of(stale) == "REAUTHENTICATION_REQUIRED"
    shown = body_of(call(local_api, "GetOrganizationFunction", "get_organization", admin))["data"]
    assert shown["resultRedirectUrl"] is None and redirect_notices(local_api, admin["email"]) == []

    assert set_redirect(local_api, admin, "https://evil.example/steal?to=me")["statusCode"] == 200
    for to in (admin["email"], other_admin["email"]):
        (notice,) = redirect_notices(local_api, to)
        assert "Before: (none)" in notice["text"] and "Now: https[:]//evil[.]example/steal?to=me" in notice["text"]
        assert "evil.example" not in notice["text"] + notice["html"] and "href" not in notice["html"]
    assert redirect_notices(local_api, member["email"]) == [], "admins only"
    assert set_redirect(local_api, admin, None)["statusCode"] == 200
    (latest, _) = redirect_notices(local_api, other_admin["email"])
    assert "Before: https[:]//evil[.]example/steal?to=me" in latest["text"] and "Now: (none)" in latest["text"]
    event = signed_in_event("list_audit_events", admin)
    event["queryStringParameters"] = {"type": "organization.settings_changed"}
    changed = body_of(invoke(local_api, "ListAuditEventsFunction", event))["data"]["auditEvents"]
    assert len(changed) == 2 and {e["actor"] for e in changed} == {f"user:{admin['id']}"}


def test_a_redirect_change_whose_notices_cannot_be_queued_changes_nothing_and_a_retry_does_both(
        local_api, outbox, admin, monkeypatch):
    from botocore.exceptions import EndpointConnectionError

    from latchkey.store import mail_queue

    def down(**_):
        raise EndpointConnectionError(endpoint_url="https://sqs.example")

    with monkeypatch.context() as patched:
        patched.setattr(mail_queue._sqs(), "send_message", down)
        refused = set_redirect(local_api, admin, "https://app.example.com/done")
    assert refused["statusCode"] == 503 and code_of(refused) == "SERVICE_UNAVAILABLE"
    shown = body_of(call(local_api, "GetOrganizationFunction", "get_organization", admin))["data"]
    assert shown["resultRedirectUrl"] is None, "no change goes untold"
    assert set_redirect(local_api, admin, "https://app.example.com/done")["statusCode"] == 200
    (notice,) = redirect_notices(local_api, admin["email"])
    assert "Now: https[:]//app[.]example[.]com/done" in notice["text"]
