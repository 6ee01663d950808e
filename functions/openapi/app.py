"""GET /openapi.json: the API's OpenAPI 3.1 document, as `python -m contract` generated it into this
folder (the document itself, not an envelope; errors still are), its `servers` the URL this request
reached the API at, so that the docs page's "Try it out" and generated clients call the API that
served it (any port locally, the stage in AWS). No AWS access, no pydantic, no parsing."""

import json
from pathlib import Path

from latchkey.edge.http import Request, api_handler

# The generated copy is compact with empty `servers` (strings escape their quotes: one match).
_BEFORE, _AFTER = (Path(__file__).parent / "openapi.json").read_text(encoding="utf-8").split('"servers":[]', 1)
# The document depends on the host the request named: a shared cache must keep one per host.
HEADERS = {"Content-Type": "application/json", "Cache-Control": "public, max-age=300",
           "X-Content-Type-Options": "nosniff", "Vary": "X-Viewer-Host, X-Forwarded-Proto"}


@api_handler
def handler(request: Request) -> dict:
    servers = json.dumps([{"url": request.api_url, "description": "this API"}], separators=(",", ":"))
    return {"statusCode": 200, "headers": HEADERS, "body": f'{_BEFORE}"servers":{servers}{_AFTER}'}
