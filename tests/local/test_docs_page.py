"""The API's documents on the local API: /openapi.json from the built OpenApiFunction (as deployed),
and a docs page at /docs whose every asset is served from the pinned package, same-origin (no CDN).
Local pages answer loopback Host names only. The served document names, as its server, the origin
that serves it (any port, the stage in AWS), so the page's "Try it out" stays within its own CSP."""

import json
import re
from urllib.parse import urlsplit

import pytest

from local import docs
from tests.handlers.conftest import body_of, invoke
from tests.support import ROOT, Client, load_event


def test_openapi_json_is_the_committed_document_served_by_its_function(client: Client):
    response = client.get("/openapi.json")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
    served, committed = response.json(), json.loads((ROOT / "docs" / "openapi.json").read_text())
    assert {**served, "servers": None} == {**committed, "servers": None}  # all but where it is served from


def test_the_served_document_names_the_origin_that_serves_it_on_any_port(client: Client):
    port = urlsplit(client.base_url).port
    assert port != 3000, "this test is about a port other than make dev's default"
    assert client.get("/openapi.json").json()["servers"] == [{"url": client.base_url, "description": "this API"}]
    localhost = client.get("/openapi.json", headers={"Host": f"localhost:{port}"}).json()
    assert localhost["servers"][0]["url"] == f"http://localhost:{port}"  # the name the browser used


def test_the_docs_page_csp_lets_try_it_out_reach_the_served_server(client: Client):
    """Swagger UI sends "Try it out" to `servers[0]`: the page's CSP (connect-src, else default-src)
    must allow it, which 'self' does only when it is the page's own origin."""
    page = client.get("/docs")
    policy = dict(part.strip().split(" ", 1) for part in page.headers["Content-Security-Policy"].split(";"))
    connect = policy.get("connect-src", policy["default-src"]).split()
    server = client.get("/openapi.json").json()["servers"][0]["url"]
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(server))
    assert origin in connect or ("'self'" in connect and origin == client.base_url)


def _served_servers(local_api, headers: dict) -> list[dict]:
    event = load_event("openapi")
    event["headers"] = {**{"X-Forwarded-Proto": "https"}, **headers}
    response = invoke(local_api, "OpenApiFunction", event)
    assert response["statusCode"] == 200
    return body_of(response)["servers"]


def test_in_aws_the_served_server_is_the_apis_own_url(local_api):
    execute_api = "abc123.execute-api.us-east-1.amazonaws.com"
    assert _served_servers(local_api, {"Host": execute_api})[0]["url"] == f"https://{execute_api}/dev"
    # Through the stage's CloudFront distribution, which maps its root onto the stage.
    site = {"Host": execute_api, "X-Viewer-Host": "d111111abcdef8.cloudfront.net"}
    assert _served_servers(local_api, site)[0]["url"] == "https://d111111abcdef8.cloudfront.net"


def test_a_malformed_host_is_not_echoed(local_api):
    servers = _served_servers(local_api, {"Host": 'evil.example/"><script>'})
    assert servers[0]["url"] == "https://abc123.execute-api.us-east-1.amazonaws.com/dev"


def test_the_docs_page_loads_only_same_origin_assets_and_each_is_served():
    page = docs.serve("GET", "/docs")
    assert page.status == 200 and dict(page.headers)["Content-Security-Policy"].startswith("default-src 'self'")
    assets = re.findall(rb'(?:src|href)="([^"]+)"', page.body)
    assert assets and all(a.startswith(b"/docs/") for a in assets), "nothing from another origin"
    for asset in assets:
        served = docs.serve("GET", asset.decode())
        assert served is not None and served.status == 200 and served.body, asset
    assert b'url: "/openapi.json"' in docs.serve("GET", "/docs/init.js").body


@pytest.mark.parametrize("method, path", [
    ("GET", "/docs/../../etc/passwd"), ("GET", "/docs/swagger-ui.js.map"), ("GET", "/docs/index.html"),
    ("GET", "/openapi.json"), ("GET", "/v1/auth/me"), ("HEAD", "/docs"),
])
def test_anything_else_falls_through_to_the_gateway(method, path):
    assert docs.serve(method, path) is None


def test_local_pages_answer_loopback_host_names_only(client: Client):
    assert client.get("/docs").status_code == 200
    assert client.get("/_local/mail", headers={"Host": "evil.example"}).status_code == 404  # DNS rebinding
    assert client.get("/docs", headers={"Host": "evil.example:3000"}).status_code == 404
