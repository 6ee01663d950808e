"""The API Gateway side of the local runtime: a REST API (v1 proxy integrations) for the template's
routes, calling functions through a Lambda backend (`local.lambda_runtime`).

What it does is what the gateway does, and no more:
- picks the most specific resource for the path (literal > `{param}` > `{proxy+}`), then the method,
  then ANY; no match is the MISSING_AUTHENTICATION_TOKEN gateway response;
- answers CORS preflights itself (the template's `Cors`: a mock integration with static headers,
  never behind the authorizer);
- on an AWS_IAM route (the admin API), checks the request's SigV4 signature against the local operator's
  credentials (`local.sigv4`) and puts the principal in `requestContext.identity`, as AWS does; a
  Lambda authorizer is never called there;
- calls the REQUEST authorizer with a real `methodArn`, evaluates its IAM policy against that ARN
  (explicit Deny wins, `*`/`?` wildcards), and answers Deny / no match with ACCESS_DENIED, an
  `Unauthorized` error with UNAUTHORIZED, any other error with AUTHORIZER_FAILURE and a malformed
  answer with AUTHORIZER_CONFIGURATION_ERROR, each rendered from the template's gateway responses;
- builds the proxy event AWS sends (`requestContext.identity.sourceIp` is the TCP peer, never a
  header; `requestContext.authorizer` is the authorizer's context plus `principalId`);
- turns a function error, crash or timeout (past the function's Timeout) into a 502 and an
  integration past 29 s into the INTEGRATION_TIMEOUT response (504), and renames the integration
  headers API Gateway renames (`WWW-Authenticate` becomes `x-amzn-Remapped-WWW-Authenticate`).
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import parse_qsl, unquote

from local import policy, sigv4
from local.constants import ACCOUNT, API_ID, REGION
from local.lambda_runtime import LambdaContext, Outcome  # noqa: F401 - LambdaContext re-exported
from local.template import Route, Template

MAX_PAYLOAD_BYTES = 10 * 1024 * 1024  # API Gateway's own limit

# API Gateway's defaults for the gateway responses the runtime can produce.
_DEFAULTS = {
    "ACCESS_DENIED": (403, "User is not authorized to access this resource"),
    "UNAUTHORIZED": (401, "Unauthorized"),
    "MISSING_AUTHENTICATION_TOKEN": (403, "Missing Authentication Token"),
    "AUTHORIZER_FAILURE": (500, None),
    "AUTHORIZER_CONFIGURATION_ERROR": (500, None),
    "REQUEST_TOO_LARGE": (413, "Request Too Long"),
    "INVALID_SIGNATURE": (403, sigv4.MISMATCH),
    "DEFAULT_4XX": (403, None),  # what has no type of its own: a malformed signature, an unknown access key
    "INTEGRATION_TIMEOUT": (504, "Endpoint request timed out"),
    # A function error or a malformed proxy answer: no gateway response type of its own, DEFAULT_5XX.
    "BAD_GATEWAY": (502, "Internal server error"),
}

# Integration response headers API Gateway renames to x-amzn-Remapped-<name> (a documented known issue).
REMAPPED_HEADERS = frozenset({
    "authorization", "connection", "content-md5", "date", "expect", "host", "max-forwards",
    "proxy-authenticate", "server", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "via",
    "warn", "www-authenticate",
})


INTEGRATION_TIMEOUT = 29.0  # API Gateway's limit for a REST integration (and for an authorizer)


class Functions(Protocol):
    def invoke(self, function_id: str, event: dict, integration_timeout: float | None = None) -> Outcome: ...


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    function: str = ""  # the integration's function, for the access log
    cold_starts: dict[str, float] = field(default_factory=dict)  # function -> init ms, this request's

    def json(self) -> Any:
        return json.loads(self.body)


class LocalApi:
    def __init__(self, template: Template, functions: Functions, operators: list[sigv4.Operator] = ()):
        self.functions = functions
        self.operators = {o.access_key_id: o for o in operators}  # who may sign AWS_IAM routes' requests
        self.load(template)

    def load(self, template: Template) -> None:
        """(Re)reads what the gateway serves from the template."""
        self.template = template
        self.stage = template.stage()
        self.routes = template.routes()
        self.authorizer_id = template.authorizer_function()
        self.responses = template.resolve(template.gateway_responses())
        self.cors = template.resolve(template.api().get("Cors")) or None
        self.resources = _resources(self.routes)

    # --- the request path -----------------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes, source_ip: str
    ) -> HttpResponse:
        path, _, query = target.partition("?")
        if len(body) > MAX_PAYLOAD_BYTES:
            return self.gateway_response("REQUEST_TOO_LARGE")
        match = self._match(path)
        # SAM's Cors adds an OPTIONS method to every resource that has methods, and to no other.
        if match and method == "OPTIONS" and self.cors and self.resources[match[0]]:
            return self._preflight()
        route = match and (self.resources[match[0]].get(method) or self.resources[match[0]].get("ANY"))
        if not route:
            return self.gateway_response("MISSING_AUTHENTICATION_TOKEN")
        resource, path_parameters = match
        request_context = self._request_context(method, path, resource, headers, source_ip)
        event = _proxy_event(method, path, resource, query, headers, body, path_parameters, request_context)
        cold: dict[str, float] = {}
        if route.iam:
            signer = sigv4.check(method, target, headers, body, self.operators)
            if isinstance(signer, sigv4.Refusal):
                return self.gateway_response(signer.kind, message=signer.message)
            request_context["identity"].update(signer.identity())
        if route.authorized:
            verdict = self._authorize(event, cold)
            if isinstance(verdict, HttpResponse):
                return verdict
            request_context["authorizer"] = verdict
        response = self._integrate(route.function, event, cold)
        return HttpResponse(response.status, response.headers, response.body, route.function, cold)

    def _match(self, path: str) -> tuple[str, dict[str, str]] | None:
        segments = [s for s in path.split("/") if s]
        best: tuple[tuple, str, dict] | None = None
        for resource in self.resources:
            found = _match_resource(resource, segments)
            if found is not None:
                rank, params = found
                if best is None or rank > best[0]:
                    best = (rank, resource, params)
        return (best[1], best[2]) if best else None

    def _preflight(self) -> HttpResponse:
        """SAM's mock integration for `Cors`: 200 with the configured headers, whoever asks."""
        names = {"AllowOrigin": "Access-Control-Allow-Origin", "AllowHeaders": "Access-Control-Allow-Headers",
                 "AllowMethods": "Access-Control-Allow-Methods", "MaxAge": "Access-Control-Max-Age",
                 "AllowCredentials": "Access-Control-Allow-Credentials"}
        headers = [("Content-Type", "application/json")]
        headers += [(header, str(self.cors[key]).strip("'")) for key, header in names.items() if key in self.cors]
        return HttpResponse(200, headers, b"{}\n")

    def _authorize(self, event: dict, cold: dict[str, float]) -> dict | HttpResponse:
        api = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{API_ID}"
        method_arn = f"{api}/{self.stage}/{event['httpMethod']}{event['path']}"
        authorizer_event = {
            "type": "REQUEST",
            "methodArn": method_arn,
            **{k: event[k] for k in ("resource", "path", "httpMethod", "headers", "multiValueHeaders",
                                     "queryStringParameters", "multiValueQueryStringParameters",
                                     "pathParameters", "stageVariables", "requestContext")},
        }
        outcome = self.functions.invoke(self.authorizer_id, authorizer_event, INTEGRATION_TIMEOUT)
        if outcome.init_ms is not None:
            cold[self.authorizer_id] = outcome.init_ms
        if outcome.status != "ok":
            return self.gateway_response("UNAUTHORIZED" if outcome.error == "Unauthorized" else "AUTHORIZER_FAILURE")
        answer = outcome.result
        context = _valid_authorizer_answer(answer)
        if context is None:
            return self.gateway_response("AUTHORIZER_CONFIGURATION_ERROR")
        if not policy.allows(answer["policyDocument"]["Statement"], "execute-api:Invoke", method_arn):
            return self.gateway_response("ACCESS_DENIED", authorizer=context)
        return {**context, "principalId": answer["principalId"], "integrationLatency": 0}

    def _integrate(self, function_id: str, event: dict, cold: dict[str, float]) -> HttpResponse:
        outcome = self.functions.invoke(function_id, event, INTEGRATION_TIMEOUT)
        if outcome.init_ms is not None:
            cold[function_id] = outcome.init_ms
        if outcome.status == "integration_timeout":
            return self.gateway_response("INTEGRATION_TIMEOUT")
        try:
            if outcome.status != "ok":
                raise ValueError(outcome.status)
            result = outcome.result
            status = int(result["statusCode"])
            headers = [(k, str(v)) for k, v in (result.get("headers") or {}).items()]
            for name, values in (result.get("multiValueHeaders") or {}).items():
                headers += [(name, str(v)) for v in values]
            raw = result.get("body") or ""
            body = base64.b64decode(raw) if result.get("isBase64Encoded") else raw.encode("utf-8")
        except (ValueError, KeyError, TypeError, AttributeError):
            return self.gateway_response("BAD_GATEWAY")  # a failed or malformed integration, as on AWS
        headers = [(f"x-amzn-Remapped-{k}" if k.lower() in REMAPPED_HEADERS else k, v) for k, v in headers
                   if k.lower() != "content-length"]  # the gateway sets its own
        return HttpResponse(status, headers, body)

    def _request_context(self, method, path, resource, headers, source_ip) -> dict:
        now = datetime.now(UTC)
        user_agent = next((v for k, v in headers if k.lower() == "user-agent"), None)
        return {
            "resourceId": "local",
            "resourcePath": resource,
            "httpMethod": method,
            "extendedRequestId": str(uuid.uuid4()),
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "path": f"/{self.stage}{path}",
            "accountId": ACCOUNT,
            "protocol": "HTTP/1.1",
            "stage": self.stage,
            "domainPrefix": "127",
            "requestTimeEpoch": int(now.timestamp() * 1000),
            "requestId": str(uuid.uuid4()),
            "identity": {
                "cognitoIdentityPoolId": None, "accountId": None, "cognitoIdentityId": None, "caller": None,
                "sourceIp": source_ip, "principalOrgId": None, "accessKey": None,
                "cognitoAuthenticationType": None, "cognitoAuthenticationProvider": None, "userArn": None,
                "userAgent": user_agent, "user": None,
            },
            "domainName": "127.0.0.1",
            "apiId": API_ID,
        }

    # --- gateway responses ----------------------------------------------------------------------

    def gateway_response(self, kind: str, authorizer: dict | None = None, message: str | None = None) -> HttpResponse:
        default_status, default_message = _DEFAULTS[kind]
        default_message = message or default_message
        config = self.responses.get(kind) or self.responses.get(
            "DEFAULT_5XX" if default_status >= 500 else "DEFAULT_4XX"
        ) or {}
        status = int(config.get("StatusCode", default_status))
        headers = [("Content-Type", "application/json")]
        for name, value in (config.get("ResponseParameters", {}).get("Headers") or {}).items():
            headers.append((name, str(value).strip("'")))
        body_template = (config.get("ResponseTemplates") or {}).get("application/json")
        if body_template is None:
            body = json.dumps({"message": default_message})
        else:
            body = _render(body_template, kind, default_message, authorizer or {})
        return HttpResponse(status, headers, body.encode("utf-8"))


# --- pure helpers --------------------------------------------------------------------------------


def _resources(routes: list[Route]) -> dict[str, dict[str, Route]]:
    """Resource path -> method -> route, with the parents API Gateway creates implicitly."""
    resources: dict[str, dict[str, Route]] = {}
    for route in routes:
        parts = [p for p in route.path.split("/") if p]
        for i in range(len(parts) + 1):
            resources.setdefault("/" + "/".join(parts[:i]), {})
        resources["/" + "/".join(parts)][route.method] = route
    return resources


def _match_resource(resource: str, segments: list[str]) -> tuple[tuple, dict[str, str]] | None:
    """(specificity, path parameters) if `resource` matches the request's segments."""
    parts = [p for p in resource.split("/") if p]
    rank, params = [], {}
    for i, part in enumerate(parts):
        if part.startswith("{") and part.endswith("+}"):
            if i >= len(segments):
                return None
            params[part[1:-2]] = unquote("/".join(segments[i:]))
            return tuple(rank + [0]), params
        if i >= len(segments):
            return None
        if part.startswith("{"):
            params[part[1:-1]] = unquote(segments[i])
            rank.append(1)
        elif part == segments[i]:
            rank.append(2)
        else:
            return None
    return (tuple(rank), params) if len(parts) == len(segments) else None


def _proxy_event(method, path, resource, query, headers, body, path_parameters, request_context) -> dict:
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in headers:
        single[name] = value
        multi.setdefault(name, []).append(value)
    pairs = parse_qsl(query, keep_blank_values=True)
    # No binary media types are configured, so the gateway hands the body over as text.
    text, encoded = body.decode("utf-8", "replace"), False
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": single or None,
        "multiValueHeaders": multi or None,
        "queryStringParameters": dict(pairs) or None,
        "multiValueQueryStringParameters": _multi(pairs) or None,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": request_context,
        "body": text if body else None,
        "isBase64Encoded": encoded,
    }


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def _valid_authorizer_answer(answer: Any) -> dict | None:
    """The answer's context if it is a well-formed authorizer response, else None."""
    if not isinstance(answer, dict) or not isinstance(answer.get("principalId"), str):
        return None
    policy = answer.get("policyDocument")
    if not isinstance(policy, dict) or not isinstance(policy.get("Statement"), list):
        return None
    context = answer.get("context") or {}
    if not isinstance(context, dict) or not all(isinstance(v, (str, int, float, bool)) for v in context.values()):
        return None
    return context


def _render(template: str, kind: str, message: str | None, authorizer: dict) -> str:
    def context_value(match: re.Match) -> str:
        name = match[1]
        if name.startswith("authorizer."):
            return str(authorizer.get(name.split(".", 1)[1], ""))
        if name == "error.messageString":
            return json.dumps(message)
        if name == "error.message":
            return message or ""
        if name == "error.responseType":
            return kind
        return ""

    return re.sub(r"\$context\.([A-Za-z0-9_.]+)", context_value, template)
