"""Eviction over HTTP against the local API (issue 23): an admin who is removed or demoted cannot come
back through an invitation they sent beforehand, to another address of theirs, as ADMIN."""

from __future__ import annotations

import pytest

from tests.e2e.test_team_journey import code, invitation_token
from tests.support import PASSWORD, Client, unique_email


def _second_admin(client: Client) -> tuple[dict, dict]:
    """An organization's owner and a second admin who joined by invitation: their sign-in bodies."""
    owner = client.register(organizationName="Eviction")
    address = unique_email("rogue")
    invited = client.post("/v1/organization/invitations", json={"email": address, "role": "ADMIN"},
                          headers=client.bearer(owner["accessToken"]))
    assert invited.status_code == 201, invited.text
    joined = client.post("/v1/auth/accept-invitation",
                         json={"token": invitation_token(client, address), "name": "Rogue", "password": PASSWORD})
    assert joined.status_code == 201, joined.text
    return owner, joined.json()["data"]


@pytest.mark.parametrize("eviction", ["removed", "demoted"])
def test_an_evicted_admin_cannot_rejoin_as_admin_with_an_invitation_they_sent_before(client: Client, eviction):
    owner, rogue = _second_admin(client)
    as_owner, as_rogue = client.bearer(owner["accessToken"]), client.bearer(rogue["accessToken"])
    other_address = unique_email("rogue-again")
    planted = client.post("/v1/organization/invitations", json={"email": other_address, "role": "ADMIN"},
                          headers=as_rogue)
    assert planted.status_code == 201, planted.text
    token = invitation_token(client, other_address)

    path = f"/v1/organization/members/{rogue['user']['id']}"
    if eviction == "removed":
        evicted = client.request("DELETE", path, headers=as_owner)
    else:
        evicted = client.request("PATCH", path, json={"role": "MEMBER"}, headers=as_owner)
    assert evicted.status_code == 200, evicted.text
    rejoin = client.post("/v1/auth/accept-invitation", json={"token": token, "name": "Rogue", "password": PASSWORD})
    assert rejoin.status_code == 401 and code(rejoin) in ("INVITATION_REVOKED", "INVALID_INVITATION"), rejoin.text
    assert client.post("/v1/auth/login", json={"email": other_address, "password": PASSWORD}).status_code == 401
    pending = client.get("/v1/organization/invitations", headers=as_owner).json()["data"]["invitations"]
    assert other_address not in [i["email"] for i in pending]
    members = client.get("/v1/organization/members", headers=as_owner).json()["data"]["members"]
    assert other_address not in [m["email"] for m in members]
    if eviction == "removed":  # and nothing of the removed admin's session refreshes
        refreshed = client.post("/v1/auth/refresh", json={"refreshToken": rogue["refreshToken"]})
        assert refreshed.status_code == 401 and code(refreshed) == "SESSION_REVOKED"
