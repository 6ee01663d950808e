"""Verification the way your API's gateway does it, against the local API started with
GatewayJwtAudiences: the discovery document and the JWKS fetched over HTTP, then an RS256 access token
for the API's audience verified with joserfc (a library nobody here wrote), with exactly the checks an
API Gateway HTTP API JWT authorizer makes: an RSA key of the JWKS by kid, RS256, iss, aud, exp (and
the route's scope). An ES256 token, a token for another audience and an ID token fail those checks;
the REST API's Lambda authorizer of docs/guides/gateway-jwt.md, run as written there, agrees; and
Latchkey's own authorizer refuses the gateway token."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from tests.support import Client, LocalApiProcess
from tests.test_gateway_snippets import snippets

API, OTHER_API = "https://api.example.com", "https://billing.example.com"
CALLBACK = "https://reports.example.com/callback"


@pytest.fixture(scope="module")
def gateway_client(tmp_path_factory) -> Client:
    """The local API as `make dev PARAMS="GatewayJwtAudiences=..."` runs it."""
    local = LocalApiProcess(tmp_path_factory.mktemp("gateway-api") / "server.log", "--ephemeral",
                            "--params", f"GatewayJwtAudiences={API},{OTHER_API}")
    yield Client(local.base_url)
    local.stop()


@pytest.fixture(scope="module")
def grant(gateway_client: Client) -> dict:
    """An organization with a first-party confidential app, and its tokens: a machine's for the API, for
    the other API and for Latchkey itself; a user's (the code flow, by HTTP as the hosted page does it)
    for the API, with its ID token."""
    client = gateway_client
    owner = client.register()
    created = client.post("/v1/organization/apps", headers=client.bearer(owner["accessToken"]), json={
        "name": "Reports", "redirectUris": [CALLBACK], "type": "confidential", "scopes": ["organization:read"],
        "firstParty": True})
    assert created.status_code == 201, created.text
    app = created.json()["data"]
    discovery = client.get("/.well-known/openid-configuration").json()
    session = OAuth2Session(app["clientId"], app["clientSecret"], token_endpoint_auth_method="client_secret_basic")

    def machine(**extra) -> str:
        return session.fetch_token(discovery["token_endpoint"], grant_type="client_credentials",
                                   **extra)["access_token"]

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    started = client.get("/oauth2/authorize?" + urlencode({
        "response_type": "code", "client_id": app["clientId"], "redirect_uri": CALLBACK, "state": "s",
        "scope": "openid organization:read", "nonce": "n", "code_challenge": challenge,
        "code_challenge_method": "S256"}), allow_redirects=False)
    assert started.status_code == 302, started.text
    request_id = parse_qs(urlsplit(started.headers["Location"]).query)["request"][0]
    decided = client.post("/oauth2/authorize/decision", headers=client.bearer(owner["accessToken"]),
                          json={"request": request_id})
    assert decided.status_code == 200 and decided.json()["data"]["next"] == "redirect", decided.text
    code = parse_qs(urlsplit(decided.json()["data"]["redirectTo"]).query)["code"][0]
    user = session.fetch_token(discovery["token_endpoint"], grant_type="authorization_code", code=code,
                               redirect_uri=CALLBACK, code_verifier=verifier, resource=API)
    return {"owner": owner, "app": app, "machine": machine(resource=API), "other": machine(resource=OTHER_API),
            "latchkey": machine(), "user": user["access_token"], "id_token": user["id_token"]}


def as_the_gateway(client: Client, token: str, audience: str = API, scope: str = "organization:read") -> dict:
    """An HTTP API JWT authorizer's checks (issuer, audience, RSA keys only, RS256; exp; the route's
    scope), with joserfc, from what it fetches: the discovery document, then its jwks_uri."""
    issuer = client.base_url
    discovery = client.get("/.well-known/openid-configuration").json()
    assert discovery["issuer"] == issuer
    published = client.session().get(discovery["jwks_uri"], timeout=30).json()
    rsa_only = KeySet.import_key_set({"keys": [k for k in published["keys"] if k["kty"] == "RSA"]})
    verified = jwt.decode(token, rsa_only, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(iss={"essential": True, "value": issuer}, aud={"essential": True, "value": audience},
                          exp={"essential": True}).validate(verified.claims)
    if scope not in str(verified.claims.get("scope", "")).split():
        raise JoseError("the route's scope is missing")
    return verified.claims


def test_an_rs256_token_for_the_api_verifies_as_its_gateway_verifies_it(gateway_client: Client, grant):
    for token in (grant["machine"], grant["user"]):
        claims = as_the_gateway(gateway_client, token)
        assert claims["aud"] == API and claims["client_id"] == grant["app"]["clientId"]
        assert claims["org_id"] == grant["owner"]["user"]["organizationId"]
    assert as_the_gateway(gateway_client, grant["user"])["sub"] == grant["owner"]["user"]["id"]
    assert as_the_gateway(gateway_client, grant["other"], OTHER_API)["aud"] == OTHER_API


@pytest.mark.parametrize("kind", ["latchkey", "other", "id_token"])
def test_an_es256_token_another_audiences_and_an_id_token_fail_the_gateways_checks(gateway_client, grant, kind):
    with pytest.raises(JoseError):
        as_the_gateway(gateway_client, grant[kind])


def test_the_rest_apis_authorizer_of_the_docs_agrees(gateway_client: Client, grant, monkeypatch):
    (code,) = snippets("python")
    monkeypatch.setenv("LATCHKEY_ISSUER", gateway_client.base_url)
    monkeypatch.setenv("API_AUDIENCE", API)
    monkeypatch.setenv("REQUIRED_SCOPE", "organization:read")
    authorizer: dict = {}
    exec(compile(code, "docs/guides/gateway-jwt.md", "exec"), authorizer)  # noqa: S102 - the page's own code
    method_arn = "arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/reports"

    def answer(token: str) -> str:
        try:
            policy = authorizer["handler"]({"authorizationToken": f"Bearer {token}", "methodArn": method_arn}, None)
        except Exception as refused:  # noqa: BLE001 - API Gateway's 401: Exception("Unauthorized")
            return str(refused)
        return policy["policyDocument"]["Statement"][0]["Effect"]

    assert answer(grant["machine"]) == answer(grant["user"]) == "Allow"
    assert answer(grant["latchkey"]) == answer(grant["other"]) == answer(grant["id_token"]) == "Unauthorized"


def test_latchkeys_own_authorizer_refuses_the_gateway_token(gateway_client: Client, grant):
    for token in (grant["machine"], grant["user"]):
        refused = gateway_client.get("/v1/organization", headers=gateway_client.bearer(token))
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "INVALID_TOKEN", refused.text
    assert gateway_client.get("/v1/organization", headers=gateway_client.bearer(grant["latchkey"])).status_code == 200
