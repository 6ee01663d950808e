"""The module's scopes on an OAuth app: a machine token (client credentials) of an app holding
assessments:read reaches the organization's assessments, and a route of another scope refuses it."""

from tests.e2e.test_oauth import machine_token, register_app
from tests.support import Client


def test_a_machine_token_reaches_its_scoped_route_and_no_other(client: Client):
    owner = client.register()
    client.post("/v1/assessments", headers=client.bearer(owner["accessToken"]), json={"title": "Exported"})
    token = machine_token(client, register_app(client, owner, scopes=["assessments:read"]))
    listed = client.get("/v1/public/assessments", headers=client.bearer(token))
    assert listed.status_code == 200 and [a["title"] for a in listed.json()["data"]["assessments"]] == ["Exported"]
    other_scope = client.get("/v1/public/candidates", headers=client.bearer(token))
    assert other_scope.status_code == 403 and other_scope.json()["error"]["code"] == "INSUFFICIENT_SCOPE"
