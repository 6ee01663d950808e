"""A team's whole journey over HTTP against the local API, the invitations read from the local mailbox
as a person would read them: an admin invites two people, one accepts, the admin promotes and then
removes them, and their tokens and keys stop working on the next request."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

from tests.support import PASSWORD, Client, unique_email


def invitation_token(client: Client, address: str) -> str:
    """The token of the link in the newest email to `address` (the mailer sends asynchronously)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        messages = client.get("/_local/mail", params={"to": address}).json()["data"]["messages"]
        for message in messages:
            for word in message["text"].split():
                if "token=" in word:
                    return parse_qs(urlparse(word).query)["token"][0]
        time.sleep(0.2)
    raise AssertionError(f"no invitation email reached {address}")


def code(response) -> str:
    return response.json()["error"]["code"]


def test_an_admin_invites_two_one_accepts_is_promoted_then_removed_and_everything_of_theirs_stops(client: Client):
    admin = client.register(organizationName="Team journey")
    as_admin = client.bearer(admin["accessToken"])
    ada, bob = unique_email("ada"), unique_email("bob")
    for address in (ada, bob):
        invited = client.post("/v1/organization/invitations", json={"email": address, "role": "MEMBER"},
                              headers=as_admin)
        assert invited.status_code == 201, invited.text
        assert "token" not in invited.text
    pending = client.get("/v1/organization/invitations", headers=as_admin).json()["data"]["invitations"]
    assert sorted(i["email"] for i in pending) == sorted([ada, bob])

    # Ada accepts: signed in at once, in the admin's organization, as a member
    token = invitation_token(client, ada)
    joined = client.post("/v1/auth/accept-invitation", json={"token": token, "name": "Ada", "password": PASSWORD})
    assert joined.status_code == 201, joined.text
    member = joined.json()["data"]
    as_member = client.bearer(member["accessToken"])
    assert member["user"]["organizationId"] == admin["user"]["organizationId"] and member["user"]["role"] == "MEMBER"
    again = client.post("/v1/auth/accept-invitation", json={"token": token, "name": "Ada", "password": PASSWORD})
    assert again.status_code == 409 and code(again) == "INVITATION_USED"
    listed = client.get("/v1/organization/members", headers=as_member).json()["data"]["members"]
    assert [m["email"] for m in listed] == [admin["user"]["email"], ada]

    # as a member: read keys yes, admin's work no
    key = client.post("/v1/api-keys", json={"name": "ada's", "scopes": ["organization:read"]}, headers=as_member)
    assert key.status_code == 201, key.text
    as_key = {"X-API-Key": key.json()["data"]["key"]}
    assert client.get("/v1/organization", headers=as_key).status_code == 200
    refused = client.request("PATCH", "/v1/organization", json={"resultRedirectUrl": None}, headers=as_member)
    assert refused.status_code == 403 and code(refused) == "ADMIN_ONLY"

    # promoted: the same access token acts as an admin on its very next request
    promoted = client.request("PATCH", f"/v1/organization/members/{member['user']['id']}", json={"role": "ADMIN"},
                              headers=as_admin)
    assert promoted.status_code == 200 and promoted.json()["data"]["role"] == "ADMIN"
    assert client.request("PATCH", "/v1/organization", json={"resultRedirectUrl": None},
                          headers=as_member).status_code == 200
    assert client.get("/v1/auth/me", headers=as_member).json()["data"]["role"] == "ADMIN"

    # removed: every token and key of theirs fails on the next request, and they cannot sign in again
    removed = client.request("DELETE", f"/v1/organization/members/{member['user']['id']}", headers=as_admin)
    assert removed.status_code == 200, removed.text
    assert removed.json()["data"] == {"removed": member["user"]["id"], "sessionsRevoked": 1, "apiKeysRevoked": 1}
    me = client.get("/v1/auth/me", headers=as_member)
    assert me.status_code == 401 and code(me) == "SESSION_REVOKED"
    assert client.post("/v1/auth/refresh", json={"refreshToken": member["refreshToken"]}).status_code == 401
    by_key = client.get("/v1/organization", headers=as_key)
    assert by_key.status_code == 401 and code(by_key) == "API_KEY_REVOKED"
    assert client.post("/v1/auth/login", json={"email": ada, "password": PASSWORD}).status_code == 401

    # Bob's invitation still stands; the admin revokes it, and its link is refused
    bobs = next(i for i in pending if i["email"] == bob)
    assert client.request("DELETE", f"/v1/organization/invitations/{bobs['id']}", headers=as_admin).status_code == 200
    late = client.post("/v1/auth/accept-invitation",
                       json={"token": invitation_token(client, bob), "name": "Bob", "password": PASSWORD})
    assert late.status_code == 401 and code(late) == "INVITATION_REVOKED"
    assert client.get("/v1/organization/invitations", headers=as_admin).json()["data"]["invitations"] == []

    # every change to the team is in the audit trail, each written with its change
    trail = client.get("/v1/audit-events", headers=as_admin).json()["data"]["auditEvents"]
    team = [(e["type"], e["reason"], e["actor"]) for e in trail if e["type"].startswith("member.")]
    by_admin, ada_id = f"user:{admin['user']['id']}", member["user"]["id"]
    assert team == [("member.removed", None, by_admin), ("member.role_changed", "ADMIN", by_admin),
                    ("member.joined", "MEMBER", f"user:{ada_id}"), ("member.invited", "MEMBER", by_admin),
                    ("member.invited", "MEMBER", by_admin)]
    assert ada not in str(trail) and bob not in str(trail)


def test_two_admins_demoting_each_other_over_http_at_the_same_moment_leave_one_admin(client: Client):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from tests.support import random_ip

    first = client.register(organizationName="Two admins")
    address = unique_email("second")
    client.post("/v1/organization/invitations", json={"email": address, "role": "ADMIN"},
                headers=client.bearer(first["accessToken"]))
    second = client.post("/v1/auth/accept-invitation", json={
        "token": invitation_token(client, address), "name": "Second", "password": PASSWORD}).json()["data"]
    start = Barrier(2)

    def demote(actor: dict, target: dict):
        start.wait()
        return client.request("PATCH", f"/v1/organization/members/{target['user']['id']}", json={"role": "MEMBER"},
                              headers=client.bearer(actor["accessToken"]), source_ip=random_ip())

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [f.result() for f in (pool.submit(demote, first, second), pool.submit(demote, second, first))]
    # The loser is refused either at its write (409: the count says one admin is left) or, if the
    # winner finished first, by the guard (403: the loser's session already carries MEMBER).
    winner, loser = sorted(results, key=lambda r: r.status_code)
    assert winner.status_code == 200 and (loser.status_code, code(loser)) in ((409, "LAST_ADMIN"), (403, "ADMIN_ONLY"))
    members = client.get("/v1/organization/members", headers=client.bearer(first["accessToken"])).json()["data"]
    assert [m["role"] for m in members["members"]].count("ADMIN") == 1
