"""The API's documents on the local API: `GET /openapi.json` (the committed, generated document) and a
browsable page at `GET /docs`, whose assets come from the pinned swagger-ui-bundle package (nothing
from a CDN). The local server asks `serve` first and falls through to the gateway on None."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from local.template import ROOT

DOCUMENT = ROOT / "docs" / "openapi.json"
# The files of Swagger UI's standalone build that the page loads; nothing else is served from there.
_ASSETS = ("swagger-ui.css", "index.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
           "favicon-32x32.png", "favicon-16x16.png")

_PAGE = b"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Latchkey API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="stylesheet" href="/docs/index.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js" charset="utf-8"></script>
  <script src="/docs/swagger-ui-standalone-preset.js" charset="utf-8"></script>
  <script src="/docs/init.js" charset="utf-8"></script>
</body>
</html>
"""
_INIT = b"""window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout"
  });
};
"""
# Same-origin only: the page, its assets and "Try it out" all stay on the local API.
_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'"

Response = tuple[int, list[tuple[str, str]], bytes]


def serve(method: str, path: str) -> Response | None:
    """The answer for the documents' paths, or None for every other request."""
    path = path.split("?", 1)[0]
    if method != "GET":
        return None
    if path == "/openapi.json":
        return _ok("application/json", DOCUMENT.read_bytes())
    if path in ("/docs", "/docs/"):
        return _ok("text/html; charset=utf-8", _PAGE, [("Content-Security-Policy", _CSP)])
    if path == "/docs/init.js":
        return _ok("text/javascript; charset=utf-8", _INIT)
    name = path.removeprefix("/docs/")
    if path.startswith("/docs/") and name in _ASSETS:
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return _ok(content_type, (_assets() / name).read_bytes())
    return None


def page(method: str, target: str):
    """`serve` as the local server's pages answer (an HttpResponse), until the server calls `serve`."""
    from local.gateway import HttpResponse

    served = serve(method, target)
    return HttpResponse(*served) if served else None


def _ok(content_type: str, body: bytes, extra: list[tuple[str, str]] | None = None) -> Response:
    headers = [("Content-Type", content_type), ("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff")]
    return 200, headers + (extra or []), body


def _assets() -> Path:
    from swagger_ui_bundle import swagger_ui_path  # dev-only: the local API's, never the layer's

    return Path(str(swagger_ui_path))
