"""The OpenAPI 3.1 document, generated from the declarations: api/routes.py (who may call a route, the
scope a key needs, what it answers: the pydantic models of `latchkey.edge.schemas`), api/scopes.py,
and template.yaml (its routes as deployed, the authorizer, the gateway responses). `python -m contract` writes it;
a test fails when the committed file differs. Dev-only: not part of the layer."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic.json_schema import models_json_schema

from api import scopes as api_scopes
from api.route import Answers
from contract.operations import OPERATIONS, Operation
from latchkey.edge import route_map
from latchkey.edge.schemas.base import OneOf
from latchkey.usecases import audit
from local.template import ROOT, Template

DOCUMENT = ROOT / "docs" / "openapi.json"
# The deployed copy: the `openapi` function serves the file in its own folder, compact, with the URL
# the request reached the API at in place of its empty `servers` (no parsing at a cold start).
PUBLISHED = ROOT / "functions" / "openapi" / "openapi.json"
# The dashboard reads its scope list from this (a few hundred bytes, not the whole document).
DASHBOARD_SCOPES = ROOT / "dashboard" / "scopes.json"
# ... and the activity filter's event types, from the audit module's registry.
DASHBOARD_AUDIT_TYPES = ROOT / "dashboard" / "audit-events.json"

# What the authorizer can deny with (its Deny carries the code into the ACCESS_DENIED response).
AUTHORIZER_REFUSALS = (
    "NO_BEARER_TOKEN", "AMBIGUOUS_CREDENTIALS", "INVALID_TOKEN", "TOKEN_EXPIRED", "WRONG_STAGE",
    "WRONG_TOKEN_TYPE", "SESSION_REVOKED", "INVALID_API_KEY", "API_KEY_REVOKED", "API_KEY_EXPIRED",
    "ROUTE_NOT_PROTECTED",
)
# Gateway responses that can answer any operation, by the template's key; REQUEST_TOO_LARGE only
# where a body is read, UNAUTHORIZED and ACCESS_DENIED only behind the authorizer.
_EVERYWHERE = ("THROTTLED", "DEFAULT_5XX")

SECURITY_SCHEMES = {
    "accessToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                    "description": "A 15-minute access token from register, login, verify-2fa or refresh."},
    "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key",
               "description": "An API key, `pk_live_` and 64 hex characters; only /v1/public/* routes, "
                              "each needing the scope named in the requirement. Scopes: "
                              + "; ".join(f"`{s.name}`: {s.description}" + (" (organization admins only)" * s.write)
                                          for s in api_scopes.SCOPES) + "."},
    "apiKeyBearer": {"type": "http", "scheme": "bearer", "bearerFormat": "pk_live_<64 hex>",
                     "description": "The same API key as `Authorization: Bearer pk_live_...`."},
    "sigv4": {"type": "apiKey", "in": "header", "name": "Authorization",
              "description": "An AWS Signature Version 4 (service `execute-api`) of an IAM principal that IAM "
                             "policy allows `execute-api:Invoke` on the route: the admin API (/v1/admin/*) only. "
                             "Never a Latchkey token or key. API Gateway checks it (AWS_IAM)."},
}

_HEADERS = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "`Bearer`"}},
    423: {"Retry-After": {"required": True, "schema": {"type": "string", "pattern": "^[0-9]+$"},
                          "description": "seconds until the account opens"}},
    429: {"Retry-After": {"schema": {"type": "string", "pattern": "^[0-9]+$"},
                          "description": "seconds until the limit resets (absent on the gateway's THROTTLED)"}},
    503: {"Retry-After": {"required": True, "schema": {"type": "string", "pattern": "^[0-9]+$"},
                          "description": "seconds to wait before sending it again"}},
}

# The dashboard's switch (latchkey.edge.refresh_cookie): the refresh token in an HttpOnly cookie.
_TOKEN_TRANSPORT = {
    "name": "X-Token-Transport", "in": "header", "required": False, "schema": {"type": "string", "enum": ["cookie"]},
    "description": "Cookie mode, for a browser on the API's own origin: the refresh token is set as the cookie "
                   "`latchkey_refresh` (HttpOnly, Secure, SameSite=Strict, Path=/v1/auth) instead of the body's "
                   "`refreshToken`, refresh reads it from there, logout clears it. Needs `Origin` to be the "
                   "site's own (403 CROSS_SITE_REQUEST otherwise). Without it: the JSON-body flow.",
}

# A create made safe to retry (latchkey.edge.http.idempotent).
_IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 128, "pattern": "^[ -~]+$"},
    "description": "Any 1 to 128 printable ASCII characters: the same key with the same body within 24 hours "
                   "answers the first answer again and creates nothing; with another body, 422 "
                   "IDEMPOTENCY_KEY_REUSED; while the first is still running, 409 IDEMPOTENCY_KEY_IN_USE. "
                   "Keys are the caller's own (its organization, and the user or API key), per route.",
}

# What the header adds to the create's refusals.
_IDEMPOTENCY_REFUSALS = {409: ("IDEMPOTENCY_KEY_IN_USE",), 422: ("IDEMPOTENCY_KEY_REUSED",)}

_PROBLEM = {
    "type": "object",
    "description": "One problem: a field and what is wrong with it, in words (never the value sent); "
                   "or the scope an API key lacks.",
    "properties": {"field": {"type": "string"}, "message": {"type": "string"}, "missingScope": {"type": "string"}},
}


def build() -> dict[str, Any]:
    template = Template.load()
    functions = {name: f.code_dir.name for name, f in template.functions().items()}
    gateway = _gateway_codes(template)
    schemas = _component_schemas()
    paths: dict[str, dict] = {}
    responses: dict[str, dict] = {}
    routes = sorted((r for r in template.routes() if r.method != "ANY"), key=lambda r: (r.path, r.method))
    for route in routes:
        name = functions[route.function]
        operation = OPERATIONS[name]
        mapped = route_map.find(route.method, route.path)
        if mapped is None:
            raise LookupError(f"{route.method} {route.path} is in the template but not in the route map")
        shared = sum(functions[r.function] == name for r in routes) > 1
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(
            route, mapped, name, operation, gateway, shared=shared)
        for status, codes in _errors(route, mapped, operation, gateway).items():
            responses[_error_name(status, codes)] = _error_response(status, codes)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Latchkey",
            "version": _version(),
            "summary": "Serverless authentication: accounts, JWT sessions, two-factor sign-in, API keys and "
                       "the public integration API.",
            "description": (ROOT / "docs" / "openapi-intro.md").read_text(),
        },
        "servers": [
            {"url": "http://127.0.0.1:3000", "description": "make dev"},
            {"url": "https://{apiId}.execute-api.{region}.amazonaws.com/{stage}",
             "description": "a deployed stage (the stack output ApiUrl)",
             "variables": {"apiId": {"default": "abc123"}, "region": {"default": "us-east-1"},
                           "stage": {"default": "dev", "enum": ["dev", "prod"]}}},
        ],
        "tags": [{"name": tag} for tag in sorted({op["tags"][0] for ops in paths.values() for op in ops.values()})],
        "paths": paths,
        "components": {"schemas": schemas, "responses": dict(sorted(responses.items())),
                       "parameters": {"IdempotencyKey": _IDEMPOTENCY_KEY, "TokenTransport": _TOKEN_TRANSPORT},
                       "securitySchemes": SECURITY_SCHEMES},
    }


def render() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


def render_published(document: str) -> str:
    """The deployed copy of `document` (as `render` gave it)."""
    return json.dumps({**json.loads(document), "servers": []}, separators=(",", ":"), ensure_ascii=False)


def render_scopes() -> str:
    """The dashboard's scope checkboxes: every scope a key can hold, what it allows, and which are admins'
    (write), from api/scopes.py."""
    scopes = [{"name": s.name, "adminOnly": s.write, "description": s.description} for s in api_scopes.SCOPES]
    return json.dumps({"scopes": scopes}, indent=2) + "\n"


def render_audit_types() -> str:
    """The dashboard's activity filter: every audit event type the API accepts, with its label."""
    types = [{"type": name, "label": label} for name, label in audit.LABELS.items()]
    return json.dumps({"types": types}, indent=2) + "\n"


def _operation(route, mapped: route_map.Route, name: str, op: Operation, gateway: dict, shared: bool) -> dict:
    errors = _errors(route, mapped, op, gateway)
    result: dict[str, Any] = {
        "operationId": _operation_id(name, route.path, shared, route.method),
        "summary": op.summary,
        "description": _who(mapped, op),
        "tags": [_tag(route.path)],
        "security": _security(mapped, op),
        "x-callers": sorted(mapped.callers),
    }
    if mapped.scope:
        result["x-scope"] = mapped.scope
    if mapped.role:
        result["x-role"] = mapped.role
    parameters = [{"name": p, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
                  for p in re.findall(r"\{(\w+)\}", route.path)]
    if op.cookie_mode:
        parameters.append({"$ref": "#/components/parameters/TokenTransport"})
    if op.idempotent:
        parameters.append({"$ref": "#/components/parameters/IdempotencyKey"})
    if op.query is not None:
        query = op.query.model_json_schema()
        for field, schema in query["properties"].items():
            description = schema.pop("description", None)
            schema.pop("title", None)
            parameters.append({"name": field, "in": "query", "required": False, "schema": schema,
                               **({"description": description} if description else {})})
    if parameters:
        result["parameters"] = parameters
    if op.answers is Answers.OAUTH_FORM:
        result["requestBody"] = _FORM
    elif op.body is not None:
        content: dict[str, Any] = {"schema": _ref(op.body)}
        if op.example is not None:
            content["example"] = op.example
        result["requestBody"] = {"required": True, "content": {"application/json": content}}
    result["responses"] = _responses(op)
    for status, codes in sorted(errors.items()):  # the kind's own answers (OAuth's 400s) stand
        result["responses"].setdefault(str(status), {"$ref": f"#/components/responses/{_error_name(status, codes)}"})
    return result


_OAUTH_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/OAuthErrorView"}}}}
_FORM = {"required": True, "content": {"application/x-www-form-urlencoded": {
    "schema": {"type": "object", "additionalProperties": {"type": "string"}}}}}


def _responses(op: Operation) -> dict:
    """The operation's own answers, as what it answers (`Answers`) makes them; its errors come after."""
    document = {"description": op.summary, "content": {"application/json": {"schema": _ref(op.view)}}} \
        if op.view is not None else None
    if op.answers is Answers.OAUTH_REDIRECT:  # OAuth's authorization endpoint: a redirect, or its error here
        return {"302": {"description": op.summary, "headers": {"Location": {"schema": {"type": "string"}}}},
                "400": {"description": "OAuth's error: the redirect URI cannot be verified", **_OAUTH_ERROR},
                "401": {"description": "OAuth's error: no such app (invalid_client)", **_OAUTH_ERROR}}
    if op.answers is Answers.OAUTH_FORM:  # OAuth's token endpoint and its kin: its answer or OAuth's error
        return {str(op.status): document,
                "400": {"description": "OAuth's error (invalid_request, invalid_grant, ...)", **_OAUTH_ERROR},
                "401": {"description": "OAuth's error: the client failed to authenticate (invalid_client)",
                        **_OAUTH_ERROR}}
    if op.answers is Answers.OAUTH_JSON:  # RFC 7591's registration: the client or OAuth's error
        return {str(op.status): document,
                "400": {"description": "OAuth's error (invalid_redirect_uri, invalid_client_metadata)", **_OAUTH_ERROR},
                "403": {"description": "OAuth's error: registration is off (access_denied)", **_OAUTH_ERROR}}
    if op.answers is Answers.REDIRECT:
        return {str(op.status): {"description": op.summary, "headers": {"Location": {
            "description": "Where the browser goes next", "schema": {"type": "string"}}}}}
    if op.view is None:
        success = {"type": "object", "description": "this OpenAPI document"}
    elif op.answers is Answers.ENVELOPE:
        success = {"$ref": f"#/components/schemas/{_envelope_name(op.view)}"}
    else:
        success = _ref(op.view)
    return {str(op.status): {"description": op.summary, "content": {"application/json": {"schema": success}}}}


def _error_response(status: int, codes: tuple[str, ...]) -> dict:
    response: dict[str, Any] = {
        "description": ", ".join(codes),
        "content": {"application/json": {"schema": _error_envelope(codes)}},
    }
    if status in _HEADERS:
        response["headers"] = _HEADERS[status]
    return response


def _error_name(status: int, codes: tuple[str, ...]) -> str:
    """A shared error response's name: its status and its codes (the authorizer's refusals as one)."""
    named = set(AUTHORIZER_REFUSALS) if set(AUTHORIZER_REFUSALS) <= set(codes) else set()
    parts = ["Authorizer"] * bool(named) + [_camel(code) for code in codes if code not in named]
    return f"Error{status}_" + "_".join(parts)


def _camel(code: str) -> str:
    return "".join(word.capitalize() for word in code.split("_"))


def _envelope_name(view: type) -> str:
    return f"{view.__name__}Envelope"


def _envelope(view: type) -> dict:
    """The success envelope of one view: `data` is the view."""
    return {"type": "object", "required": ["success", "data"], "additionalProperties": False,
            "properties": {"success": {"const": True}, "data": _ref(view)}}


def _errors(route, mapped: route_map.Route, op: Operation, gateway: dict) -> dict[int, tuple[str, ...]]:
    found: dict[int, set[str]] = {}

    def add(status: int, *codes: str) -> None:
        found.setdefault(status, set()).update(codes)

    for kind in _EVERYWHERE:
        add(*gateway[kind])
    add(403, "ROUTE_NOT_MAPPED")  # the handlers' guard, should a deployment route a path the map lacks
    if route.iam:
        # No signature: API Gateway's MISSING_AUTHENTICATION_TOKEN; a bad, stale or foreign one, or a
        # Latchkey token: its own 403, in DEFAULT_4XX's envelope; no API Gateway AWS_IAM: the guard's.
        add(*gateway["MISSING_AUTHENTICATION_TOKEN"])
        add(403, "BAD_REQUEST", "OPERATOR_ONLY")
    if route.authorized:
        add(*gateway["UNAUTHORIZED"])
        add(401, *AUTHORIZER_REFUSALS)
        add(*gateway["AUTHORIZER_FAILURE"])  # the authorizer's dependencies unavailable: 503, never a 401
        if route_map.API_KEY not in mapped.callers:
            add(403, "API_KEY_NOT_ALLOWED")
        if mapped.scope:
            add(403, "INSUFFICIENT_SCOPE")
        if mapped.role:
            add(403, "ADMIN_ONLY")
        if mapped.step_up:
            add(403, "REAUTHENTICATION_REQUIRED")
    if op.body is not None:
        add(400, "INVALID_JSON", "VALIDATION_FAILED")
        add(415, "UNSUPPORTED_MEDIA_TYPE")
        add(413, "PAYLOAD_TOO_LARGE")
        add(*gateway["REQUEST_TOO_LARGE"])
    if op.query is not None:
        add(400, "VALIDATION_FAILED", "INVALID_CURSOR")
    # A dependency throttled, timed out or down, or DynamoDB kept cancelling a write: nothing written,
    # send it again.
    add(503, "SERVICE_UNAVAILABLE")
    if "{" in route.path:
        add(*gateway["MISSING_AUTHENTICATION_TOKEN"])  # a parameter that is no path segment: no such resource
    if op.cookie_mode:
        add(403, "CROSS_SITE_REQUEST")
    if op.idempotent:
        for status, codes in _IDEMPOTENCY_REFUSALS.items():
            add(status, *codes)
    for status, codes in op.errors.items():
        add(status, *codes)
    return {status: tuple(sorted(codes)) for status, codes in found.items()}


def _gateway_codes(template: Template) -> dict[str, tuple]:
    """Each gateway response's status and the code its template writes: the template is the source."""
    result = {}
    for kind, response in template.gateway_responses().items():
        body = response.get("ResponseTemplates", {}).get("application/json", "")
        code = re.search(r'"code": "([A-Z_]+)"', body)
        if code and "StatusCode" in response:
            result[kind] = (int(response["StatusCode"]), code[1])
        elif code and kind == "DEFAULT_5XX":
            result[kind] = (500, code[1])
    return result


def _error_envelope(codes: tuple[str, ...]) -> dict:
    """The one error envelope, its `code` narrowed to what this status of this operation can carry."""
    return {"allOf": [{"$ref": "#/components/schemas/ErrorEnvelope"}],
            "properties": {"error": {"properties": {"code": {"enum": list(codes)}}}}}


_ERROR_ENVELOPE = {
    "type": "object",
    "required": ["success", "error"],
    "additionalProperties": False,
    "properties": {
        "success": {"const": False},
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "description": "stable and machine-readable"},
                "message": {"type": "string", "description": "for people"},
                "details": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}},
            },
        },
    },
}


def _component_schemas() -> dict:
    shapes = {op.body for op in OPERATIONS.values() if op.body} | {op.view for op in OPERATIONS.values() if op.view}
    either = {shape for shape in shapes if isinstance(shape, OneOf)}
    models = sorted((shapes - either) | {view for shape in either for view in shape.views}, key=lambda m: m.__name__)
    _, top = models_json_schema([(m, "validation") for m in models], ref_template="#/components/schemas/{model}")
    schemas = top.get("$defs", {})
    for shape in either:
        schemas[shape.__name__] = {"oneOf": [_ref(view) for view in shape.views], "description": shape.description}
    for view in {op.view for op in OPERATIONS.values() if op.view and op.answers is Answers.ENVELOPE}:
        schemas[_envelope_name(view)] = _envelope(view)
    return {**dict(sorted(schemas.items())), "ErrorEnvelope": _ERROR_ENVELOPE, "Problem": _PROBLEM}


def _ref(model: type) -> dict:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _security(mapped: route_map.Route, op: Operation) -> list[dict]:
    if route_map.PUBLIC in mapped.callers:
        return []
    if route_map.OPERATOR in mapped.callers:
        return [{"sigv4": []}]
    role = [mapped.role] if mapped.role else []
    options: list[dict] = [{"accessToken": role}]
    if route_map.API_KEY in mapped.callers:
        options += [{"apiKey": [mapped.scope]}, {"apiKeyBearer": [mapped.scope]}]
    return options


def _who(mapped: route_map.Route, op: Operation) -> str:
    if route_map.PUBLIC in mapped.callers:
        return "No credential."
    if route_map.OPERATOR in mapped.callers:
        return ("The service's operators: a request signed with AWS SigV4 by an IAM principal allowed "
                "`execute-api:Invoke`.")
    text = "A signed-in user's access token"
    if mapped.role:
        text += f" (role {mapped.role}: an organization admin)"
    if route_map.API_KEY in mapped.callers:
        text += f", or an API key with the `{mapped.scope}` scope (X-API-Key or Bearer)"
    return text + "."


def _operation_id(name: str, path: str, shared: bool, method: str = "GET") -> str:
    """The function's name in camelCase; a function serving several routes adds which one."""
    camel = re.sub(r"_(\w)", lambda m: m[1].upper(), name.replace("2fa", "TwoFactor"))
    if shared and path.startswith("/api/"):
        return camel + "ViaApiPrefix"
    if shared and path.startswith("/v1/public/"):
        return camel + "ViaPublicApi"
    if shared and path == "/.well-known/openid-configuration":
        return camel + "ViaOpenIdDiscovery"
    if shared and path in ("/oauth2/userinfo", "/oauth2/logout") and method == "POST":  # OpenID asks for both
        return camel + "ViaPost"
    return camel


def _tag(path: str) -> str:
    parts = [p for p in path.split("/") if p and p not in ("api", "v1")]
    if not parts or parts[0].endswith(".json"):
        return "document"
    if parts[0] == "auth" and len(parts) > 1 and parts[1] in ("2fa", "verify-2fa"):
        return "two-factor"
    return {"candidate": "public", "organization": "organization"}.get(parts[0], parts[0])


def _version() -> str:
    match = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    return match[1] if match else "0"
