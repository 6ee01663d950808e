"""The HTTP edge of every handler: the response envelope, request parsing with limits, and the one
place where exceptions become responses.

Success: {"success": true, "data": ...}; failure: {"success": false, "error": {"code", "message"}}.
"""

from __future__ import annotations

import functools
import json
import traceback
from collections.abc import Callable
from typing import Any

from latchkey.edge import route_map
from latchkey.edge.request import Request
from latchkey.errors import (
    InternalError,
    LatchkeyError,
    OperatorOnly,
    RouteNotMapped,
    ServiceUnavailable,
    ValidationFailed,
)
from latchkey.logs import logger, with_request_id
from latchkey.settings import get_settings

_BASE_HEADERS = {
    "Content-Type": "application/json",
    # Bodies carry tokens and personal data: never cache them anywhere.
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def respond(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> dict:
    """`data` (a dict of JSON values: a record's public form) enveloped as it is. Its shape is the
    function's view model in `contract/operations.py`, held there once: every answer a test receives,
    in process or through the gateway, is checked against the document generated from those models
    (extra fields refused). Validating it again here would cost each function pydantic's import at
    every cold start (about 0.3x the floor) to check what the code, not the caller, produced."""
    return _response(status, {"success": True, "data": data}, headers)


def document(body: Any, max_age: int) -> dict:
    """A public standards document (a JWKS), as it is, outside the envelope; shared caches may keep it."""
    return {"statusCode": 200, "headers": {"Content-Type": "application/json", "X-Content-Type-Options": "nosniff",
                                           "Cache-Control": f"public, max-age={max_age}"},
            "body": json.dumps(body, separators=(",", ":"))}


def redirect(location: str, cookies: list[str] = ()) -> dict:
    """A browser redirect (302) to `location`, setting `cookies` (each a `Set-Cookie` value): no body."""
    response = {"statusCode": 302, "headers": {"Location": location, "Cache-Control": "no-store",
                                               "Referrer-Policy": "no-referrer"}, "body": ""}
    if cookies:
        response["multiValueHeaders"] = {"Set-Cookie": list(cookies)}
    return response


def refusal(error: Exception) -> LatchkeyError | None:
    """What `error` answers as: a refusal as it is, a dependency's failure (throttled, timed out, down) as
    SERVICE_UNAVAILABLE; None for anything else (a defect: the handler's last line of defence answers
    it). For a handler that answers refusals its own way (federation's callback: a redirect)."""
    if isinstance(error, LatchkeyError):
        return error
    from latchkey.store.faults import is_unavailable

    return ServiceUnavailable() if is_unavailable(error) else None


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


def idempotent(request: Request, body: Any, create: Callable[[], dict]) -> dict:
    """`create()` (which answers a create), made idempotent by the request's `Idempotency-Key`: the same
    key and body answer the first answer again, without creating anything; the same key with another
    body is 422. Keys are the caller's (its organization, and the user or API key: a replay hands back
    the created thing's one-time secret, to its creator only), per route, for 24 hours. No header: just
    create."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return create()
    if not (1 <= len(key) <= 128 and key.isascii() and key.isprintable()):
        raise ValidationFailed("Header Idempotency-Key is invalid", details=[
            {"field": "Idempotency-Key", "message": "must be 1 to 128 printable ASCII characters"}])
    from latchkey.store import idempotency_table  # only requests that carry the header pay for it

    scope = f"{request.principal.organization_id}#{request.actor}#{request.method} {request.resource}"
    return idempotency_table.once(scope, key, body.canonical(), create, request.lambda_context)


def guard(request: Request) -> None:
    """Before any handler logic, what the route map says applies to this route: a cross-site request in
    cookie mode (403), whether this principal may call it (403), then its per-IP rate limit (429; every
    attempt counts, whatever its outcome)."""
    route = route_map.find(request.method, request.resource)
    if route is None:
        raise RouteNotMapped()
    request.cookie_mode  # noqa: B018 - a cross-site cookie-mode request is refused before anything is done
    if route_map.OPERATOR in route.callers:
        # API Gateway checked the SigV4 signature and the IAM policy; no Latchkey credential counts here.
        if not request.operator or (request.event.get("requestContext") or {}).get("authorizer"):
            raise OperatorOnly()
    elif route_map.PUBLIC not in route.callers:
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
    response["headers"]["Vary"] = ", ".join(filter(None, (response["headers"].get("Vary"), "Origin")))
    return response
