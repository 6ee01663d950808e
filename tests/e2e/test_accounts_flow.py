"""Accounts over HTTP against `python -m local`: register -> login -> me, within one organization."""

from tests.support import PASSWORD, Client, unique_email


def test_register_login_me(client: Client):
    email = unique_email("flow")
    registered = client.post("/v1/auth/register", json={
        "email": email, "password": PASSWORD, "name": "Grace Hopper", "organizationName": "Navy"})
    assert registered.status_code == 201
    assert registered.headers["Cache-Control"] == "no-store"
    assert registered.json()["success"] is True

    login = client.post("/v1/auth/login", json={"email": email.upper(), "password": PASSWORD})
    assert login.status_code == 200
    data = login.json()["data"]
    assert data["accessToken"] == data["token"]
    assert data["user"] == {**registered.json()["data"]["user"]}
    assert data["user"]["name"] == "Grace Hopper" and data["user"]["plan"] == "STARTER"

    me = client.get("/v1/auth/me", headers=client.bearer(data["token"]))
    assert me.status_code == 200 and me.json()["data"]["email"] == email


def test_organization_name_defaults_from_the_users_name(client: Client):
    data = client.register(name="Ada")
    assert data["user"]["organizationId"].startswith("org_")
