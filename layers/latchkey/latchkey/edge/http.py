"""The HTTP edge of every handler: the response envelope, request parsing with limits, and the one
place where exceptions become responses.

Success: {"success": true, "data": ...}; failure: {"success": false, "error": {"code", "message"}}.
"""

from __future__ import annotations

import base64
import functools
import json
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging import correlation_paths

from latchkey.edge import route_map
from latchkey.errors import (
    CrossSiteRequest,
    InternalError,
    InvalidJson,
    LatchkeyError,
    MissingPrincipal,
    PayloadTooLarge,
    RouteNotMapped,
    ServiceUnavailable,
    UnsupportedMediaType,
    ValidationFailed,
)
from latchkey.rules.records import Client, Principal
from latchkey.settings import get_settings

logger = Logger()
# Every log line of a request carries API Gateway's request id (the authorizer's event has it too).
with_request_id = logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)

M = TypeVar("M")  # a pydantic model (imported lazily: the authorizer never loads pydantic)

_BASE_HEADERS = {
    "Content-Type": "application/json",
    # Bodies carry tokens and personal data: never cache them anywhere.
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def respond(data: Any, view: Any, status: int = 200, headers: dict[str, str] | None = None) -> dict:
    """`data` (a dict, or a record's public form) as the route's `view` model: exactly its fields."""
    shown = view.model_validate(data).model_dump(mode="json")
    return _response(status, {"success": True, "data": shown}, headers)


def document(body: Any, max_age: int) -> dict:
    """A public standards document (a JWKS), as it is, outside the envelope; shared caches may keep it."""
    return {"statusCode": 200, "headers": {"Content-Type": "application/json", "X-Content-Type-Options": "nosniff",
                                           "Cache-Control": f"public, max-age={max_age}"},
            "body": json.dumps(body, separators=(",", ":"))}


def error_response(error: LatchkeyError) -> dict:
    body: dict[str, Any] = {"code": error.code, "message": error.message}
    if error.details:
        body["details"] = error.details
    return _response(error.status, {"success": False, "error": body}, error.headers())


def _response(status: int, body: dict, headers: dict[str, str] | None) -> dict:
    return {
        "statusCode": status,
        "headers": {**_BASE_HEADERS, **(headers or {})},
        "body": json.dumps(body, separators=(",", ":")),
    }


class Request:
    """An API Gateway REST (v1) proxy event, read the way handlers need it."""

    def __init__(self, event: dict, lambda_context: Any = None):
        self.event = event
        self.lambda_context = lambda_context
        self.method: str = event.get("httpMethod", "")
        self.resource: str = event.get("resource", "")
        self.path_parameters: dict[str, str] = event.get("pathParameters") or {}
        self.query: dict[str, str] = event.get("queryStringParameters") or {}
        self.headers: dict[str, str] = {k.lower(): v for k, v in (event.get("headers") or {}).items()}

    @functools.cached_property
    def principal(self) -> Principal:
        ctx = (self.event.get("requestContext") or {}).get("authorizer") or {}
        if not ctx.get("userId") or not ctx.get("organizationId"):
            # Only reachable if a route is deployed without the authorizer: refuse, never guess.
            raise MissingPrincipal()
        return Principal(
            kind=ctx.get("kind", route_map.USER),
            user_id=ctx["userId"],
            organization_id=ctx["organizationId"],
            role=ctx.get("role", ""),
            session_id=ctx.get("sessionId", ""),
            token_id=ctx.get("tokenId", ""),
            token_expires_at=int(ctx.get("tokenExpiresAt") or 0),
            scopes=tuple(str(ctx.get("scopes", "")).split()),
            auth_time=int(ctx.get("authTime") or 0),
        )

    def page(self, default: int = 50, maximum: int = 100) -> tuple[int, str | None]:
        """`?limit=&cursor=` of a list endpoint."""
        raw = self.query.get("limit", str(default))
        if not (len(raw) <= 3 and raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= maximum:
            raise ValidationFailed("Query parameter limit is invalid",
                                   details=[{"field": "limit", "message": f"must be an integer from 1 to {maximum}"}])
        return int(raw), self.query.get("cursor") or None

    @functools.cached_property
    def cookie_mode(self) -> bool:
        """Whether the request asks for cookie mode (`X-Token-Transport: cookie`, latchkey.edge.refresh_cookie);
        403 `CROSS_SITE_REQUEST` unless its `Origin` is the site's own: the host the browser asked for
        (`X-Viewer-Host`, which the CloudFront distribution copies from the viewer's `Host`, else `Host`)."""
        if self.headers.get("x-token-transport", "").strip().lower() != "cookie":
            return False
        host = self.headers.get("x-viewer-host") or self.headers.get("host", "")
        scheme = self.headers.get("x-forwarded-proto", "https")
        if not host or self.headers.get("origin") != f"{scheme}://{host}":
            raise CrossSiteRequest()
        return True

    @property
    def request_id(self) -> str:
        return (self.event.get("requestContext") or {}).get("requestId", "")

    @property
    def actor(self) -> str:
        """Who acts, for the audit trail: the authorizer's principal, or "" on public routes."""
        ctx = (self.event.get("requestContext") or {}).get("authorizer") or {}
        if not ctx.get("userId"):
            return ""
        return f"key:{ctx.get('tokenId', '')}" if ctx.get("kind") == route_map.API_KEY else f"user:{ctx['userId']}"

    @property
    def client(self) -> Client:
        """The caller as API Gateway saw it: the TCP peer, never a header such as X-Forwarded-For."""
        identity = (self.event.get("requestContext") or {}).get("identity") or {}
        return Client(user_agent=(identity.get("userAgent") or "")[:256], source_ip=identity.get("sourceIp") or "")

    def json(self, model: type[M]) -> M:
        """The body as `model`: a JSON object only, size-limited, unknown fields refused, every
        problem reported in words."""
        from pydantic import ValidationError  # only the handlers that take a body pay for it here

        from latchkey.edge.schemas.base import problems

        content_type = self.headers.get("content-type", "")
        if content_type.split(";")[0].strip().lower() != "application/json":
            raise UnsupportedMediaType()
        raw = (self.event.get("body") or "").encode("utf-8", "surrogatepass")
        if self.event.get("isBase64Encoded"):
            try:
                raw = base64.b64decode(raw, validate=True)
            except ValueError:
                raise InvalidJson() from None
        limit = get_settings().max_body_bytes
        if len(raw) > limit:
            raise PayloadTooLarge(f"Request body is larger than {limit} bytes")
        if not raw.lstrip().startswith(b"{"):
            raise InvalidJson("Request body must be a JSON object")
        try:
            return model.model_validate_json(raw)  # type: ignore[attr-defined]
        except ValidationError as error:
            if any(item["type"] == "json_invalid" for item in error.errors(include_url=False, include_input=False)):
                raise InvalidJson() from None
            raise ValidationFailed(details=problems(error)) from None


def idempotent(request: Request, body: Any, create: Callable[[], dict]) -> dict:
    """`create()` (which answers a create), made idempotent by the request's `Idempotency-Key`: the same
    key and body answer the first answer again, without creating anything; the same key with another
    body is 422. Keys are the caller organization's, per route, for 24 hours. No header: just create."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return create()
    if not (1 <= len(key) <= 128 and key.isascii() and key.isprintable()):
        raise ValidationFailed("Header Idempotency-Key is invalid", details=[
            {"field": "Idempotency-Key", "message": "must be 1 to 128 printable ASCII characters"}])
    from latchkey.store import idempotency_table  # only requests that carry the header pay for it

    scope = f"{request.principal.organization_id}#{request.method} {request.resource}"
    return idempotency_table.once(scope, key, body.model_dump_json(), create, request.lambda_context)


def guard(request: Request) -> None:
    """Before any handler logic, what the route map says applies to this route: a cross-site request in
    cookie mode (403), whether this principal may call it (403), then its per-IP rate limit (429; every
    attempt counts, whatever its outcome)."""
    route = route_map.find(request.method, request.resource)
    if route is None:
        raise RouteNotMapped()
    request.cookie_mode  # noqa: B018 - a cross-site cookie-mode request is refused before anything is done
    if route_map.PUBLIC not in route.callers:
        route_map.authorize(route, request.principal)
    if route.rate_limit:
        # Imported here: only the functions of limited routes pay for the limiter on a cold start.
        from latchkey.usecases import request_limits

        request_limits.admit(route.rate_limit, request.client.source_ip)


def api_handler(
    fn: Callable[[Request], dict] | None = None, *, guarded: bool = True
) -> Callable[[dict, Any], dict]:
    """Wraps an endpoint: logging with the request id, the route guard (all but the fallback, which
    answers for routes that do not exist), and every exception turned into the envelope."""
    if fn is None:
        return functools.partial(api_handler, guarded=guarded)  # type: ignore[return-value]

    @with_request_id
    @functools.wraps(fn)
    def handler(event: dict, context: Any) -> dict:
        from latchkey.store import metrics  # here, not at the top: the fallback's imports stay its own
        from latchkey.usecases import audit

        request = Request(event, context)
        audit.begin(request.request_id, request.client, request.actor)
        response = _answer(request)
        metrics.flush(keep=response["statusCode"] < 500)
        return with_cors(request, response)

    def _answer(request: Request) -> dict:
        try:
            if guarded:
                guard(request)
            response = fn(request)
        except LatchkeyError as error:
            logger.info("refused", extra={"code": error.code, "status": error.status, "route": request.resource})
            return error_response(error)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            from latchkey.store.faults import is_unavailable

            if is_unavailable(exc):  # throttled, timed out, down: try again later, never a 500 or 401
                logger.warning("dependency unavailable", extra={"error_type": type(exc).__name__,
                                                                "route": request.resource})
                return error_response(ServiceUnavailable())
            # The type and the frames, never str(exc): messages can carry request data.
            logger.error(
                "unhandled error",
                extra={"error_type": type(exc).__name__, "stack": traceback.format_tb(exc.__traceback__)},
            )
            return error_response(InternalError())
        logger.info("ok", extra={"status": response["statusCode"], "route": request.resource})
        return response

    return handler


def with_cors(request: Request, response: dict) -> dict:
    """The CORS headers, for the allowed origin only (exact match): any other origin gets none, and a
    browser there cannot read the answer. Preflights never reach a function (the gateway answers)."""
    allowed = get_settings().cors_allowed_origin
    if allowed and request.headers.get("origin") == allowed:
        response["headers"].update({"Access-Control-Allow-Origin": allowed,
                                    "Access-Control-Expose-Headers": "Retry-After, x-amzn-Remapped-WWW-Authenticate"})
    response["headers"]["Vary"] = "Origin"
    return response
