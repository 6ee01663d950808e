"""The API's documents on the local API: /openapi.json from the built OpenApiFunction (as deployed),
and a docs page at /docs whose every asset is served from the pinned package, same-origin (no CDN).
Local pages answer loopback Host names only."""

import json
import re

import pytest

from local import docs
from tests.conftest import ROOT, Client


def test_openapi_json_is_the_committed_document_served_by_its_function(client: Client):
    response = client.get("/openapi.json")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
    assert response.json() == json.loads((ROOT / "docs" / "openapi.json").read_text())


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
