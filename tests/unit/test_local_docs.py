"""The local API's documents: the committed OpenAPI document at /openapi.json and a docs page at /docs
whose every asset is served from the pinned package, same-origin (no CDN)."""

import re

import pytest

from local import docs


def test_openapi_json_is_the_committed_document():
    status, headers, body = docs.serve("GET", "/openapi.json?x=1")
    assert status == 200 and ("Content-Type", "application/json") in headers
    assert body == docs.DOCUMENT.read_bytes()


def test_the_docs_page_loads_only_same_origin_assets_and_each_is_served():
    status, headers, page = docs.serve("GET", "/docs")
    assert status == 200 and dict(headers)["Content-Security-Policy"].startswith("default-src 'self'")
    assets = re.findall(rb'(?:src|href)="([^"]+)"', page)
    assert assets and all(a.startswith(b"/docs/") for a in assets), "nothing from another origin"
    for asset in assets:
        served = docs.serve("GET", asset.decode())
        assert served is not None and served[0] == 200 and served[2], asset
    assert b'url: "/openapi.json"' in docs.serve("GET", "/docs/init.js")[2]


@pytest.mark.parametrize("method, path", [
    ("GET", "/docs/../../etc/passwd"), ("GET", "/docs/swagger-ui.js.map"), ("GET", "/docs/index.html"),
    ("POST", "/openapi.json"), ("GET", "/v1/auth/me"), ("HEAD", "/docs"),
])
def test_anything_else_falls_through_to_the_gateway(method, path):
    assert docs.serve(method, path) is None
