"""GET /openapi.json: the API's OpenAPI 3.1 document, as `python -m contract` generated it into this
folder (the document itself, not an envelope; errors still are). No AWS access, no pydantic."""

from pathlib import Path

from latchkey.edge.http import Request, api_handler

DOCUMENT = (Path(__file__).parent / "openapi.json").read_text(encoding="utf-8")
HEADERS = {"Content-Type": "application/json", "Cache-Control": "public, max-age=300",
           "X-Content-Type-Options": "nosniff"}


@api_handler
def handler(request: Request) -> dict:
    return {"statusCode": 200, "headers": HEADERS, "body": DOCUMENT}
