"""The OAuth provider over HTTP, through the local gateway and authorizer: a machine (a confidential
app's client credentials, with Authlib's client) gets a token that reaches its scoped route and no
other; another organization's app never sees this one's data; discovery names these endpoints."""

from authlib.integrations.requests_client import OAuth2Session

from tests.support import Client


def register_app(client: Client, owner: dict, **body) -> dict:
    response = client.post("/v1/organization/apps", headers=client.bearer(owner["accessToken"]),
                           json={"name": "Nightly export", "redirectUris": ["https://export.example.com/cb"],
                                 "type": "confidential", "scopes": ["organization:read"]} | body)
    assert response.status_code == 201, response.text
    return response.json()["data"]


def machine_token(client: Client, app: dict) -> str:
    discovery = client.get("/.well-known/openid-configuration").json()
    session = OAuth2Session(app["clientId"], app["clientSecret"], token_endpoint_auth_method="client_secret_basic")
    return session.fetch_token(discovery["token_endpoint"], grant_type="client_credentials")["access_token"]


def test_a_machine_token_reaches_its_scoped_route_and_no_other(client: Client):
    """(A route of another scope refuses it: examples/assessments/tests/test_oauth_scopes.py.)"""
    owner = client.register()
    token = machine_token(client, register_app(client, owner))
    read = client.get("/v1/organization", headers=client.bearer(token))
    assert read.status_code == 200 and read.json()["data"]["id"] == owner["user"]["organizationId"]
    user_route = client.get("/v1/auth/me", headers=client.bearer(token))
    assert user_route.status_code == 403 and user_route.json()["error"]["code"] == "API_KEY_NOT_ALLOWED"


def test_another_organizations_app_sees_only_its_own(client: Client):
    owner, stranger = client.register(), client.register()
    token = machine_token(client, register_app(client, stranger))
    seen = client.get("/v1/organization", headers=client.bearer(token))
    assert seen.status_code == 200 and seen.json()["data"]["id"] == stranger["user"]["organizationId"]
    assert seen.json()["data"]["id"] != owner["user"]["organizationId"]


def test_discovery_names_this_apis_endpoints(client: Client):
    discovery = client.get("/.well-known/openid-configuration")
    assert discovery.status_code == 200
    document = discovery.json()
    assert document["issuer"] == client.base_url and document["token_endpoint"] == client.base_url + "/oauth2/token"
    resource = client.get("/.well-known/oauth-protected-resource").json()
    assert resource["authorization_servers"] == [client.base_url]
    assert document["jwks_uri"] == client.base_url + "/.well-known/jwks.json"
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    assert {k["kty"] for k in keys} <= {"EC", "RSA"}
