"""The OpenAPI document: generated, never edited (committed == generated), valid OpenAPI 3.1, complete
(every route of the template and the route map, every function's models) and true to the docs' walk-through."""

from __future__ import annotations

import json
import re

import pytest
from openapi_spec_validator import validate

from contract.document import (
    DASHBOARD_AUDIT_TYPES,
    DASHBOARD_SCOPES,
    DOCUMENT,
    PUBLISHED,
    build,
    render,
    render_audit_types,
    render_published,
    render_scopes,
)
from contract.operations import OPERATIONS
from latchkey.edge import route_map
from local.template import ROOT, Template
from tests.openapi_check import resolve as _resolve

DOC = json.loads(DOCUMENT.read_text())
TEMPLATE = Template.load()
FUNCTIONS = {f.code_dir.name: f for f in TEMPLATE.functions().values()}


def operations():
    return [(method.upper(), path, op) for path, ops in DOC["paths"].items() for method, op in ops.items()]


def test_the_committed_document_is_the_generated_one():
    generated = render()
    assert DOCUMENT.read_text() == generated, "run `python -m contract` and commit docs/openapi.json"
    assert PUBLISHED.read_text() == render_published(generated), \
        "the deployed function's copy is stale: run `python -m contract`"
    assert DASHBOARD_SCOPES.read_text() == render_scopes(), "the dashboard's scopes are stale: run `python -m contract`"
    assert DASHBOARD_AUDIT_TYPES.read_text() == render_audit_types(), \
        "the dashboard's audit event types are stale: run `python -m contract`"


def test_the_document_is_valid_openapi_3_1():
    assert DOC["openapi"].startswith("3.1")
    validate(build())


def test_every_route_of_the_map_is_an_operation_and_back():
    assert {(m, p) for m, p, _ in operations()} == {(r.method, r.path) for r in route_map.ROUTES}
    assert {"/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/verify-2fa",
            "/api/v1/auth/logout"} <= set(DOC["paths"])


def test_every_function_behind_the_api_has_its_operation():
    behind = {f.code_dir.name for f in FUNCTIONS.values() if any(r.function == f.logical_id for r in TEMPLATE.routes())}
    assert set(OPERATIONS) == behind - {"fallback"}
    assert set(FUNCTIONS) - behind == {"authorizer", "rotate_signing_keys", "send_mail", "admin_import_worker"}


@pytest.mark.parametrize("name", sorted(set(FUNCTIONS) - {"authorizer", "fallback"}))
def test_each_handler_parses_the_body_its_operation_documents(name):
    """Its view is named once, in api/routes.py: every answer a test receives is held to it."""
    source = (FUNCTIONS[name].code_dir / "app.py").read_text()
    body = OPERATIONS[name].body if name in OPERATIONS else None
    if body is not None:
        assert re.search(rf"\b{body.__name__}\b", source), f"{name} does not parse {body.__name__}"
    assert not re.search(r"\b\w+(View|Answer)\b", source), f"{name} names a view: api/routes.py holds it"


def test_the_idempotent_creates_are_the_ones_documented_with_the_header():
    honoured = {name for name in OPERATIONS if "idempotent(" in (FUNCTIONS[name].code_dir / "app.py").read_text()}
    assert honoured == {name for name, op in OPERATIONS.items() if op.idempotent} >= {"create_api_key", "invite_member"}
    documented = {path for path, item in DOC["paths"].items() if "post" in item
                  and any(_resolve(p).get("name") == "Idempotency-Key" for p in item["post"].get("parameters", []))}
    assert {"/v1/api-keys", "/v1/organization/invitations"} <= documented
    assert len(documented) == len(honoured)
    for path in documented:
        operation = DOC["paths"][path]["post"]
        parameters = [_resolve(p) for p in operation["parameters"]]
        assert [p["name"] for p in parameters if p["in"] == "header"] == ["Idempotency-Key"], path
        assert {"409", "422"} <= set(operation["responses"]), path


def test_security_states_each_routes_credentials_scope_and_role():
    for method, path, op in operations():
        route = route_map.find(method, path)
        if route_map.PUBLIC in route.callers:
            assert op["security"] == [], path
            continue
        if route_map.OPERATOR in route.callers:  # the admin API: SigV4 only, never a Latchkey credential
            assert op["security"] == [{"sigv4": []}], path
            assert "403" in op["responses"] and "401" not in op["responses"], path
            continue
        schemes = {name for requirement in op["security"] for name in requirement}
        assert "accessToken" in schemes
        assert ({"apiKey", "apiKeyBearer"} <= schemes) is (route_map.API_KEY in route.callers), path
        if route.scope:
            assert op["x-scope"] == route.scope and {"apiKey": [route.scope]} in op["security"]
        assert "401" in op["responses"] and "403" in op["responses"]
    assert DOC["paths"]["/v1/organization"]["patch"]["x-role"] == "ADMIN"
    assert DOC["paths"]["/v1/organization"]["patch"]["security"] == [{"accessToken": ["ADMIN"]}]


# A redirect, or an answer of OAuth's own, and OAuth's error form (RFC 6749 4.1.2.1, 5.2) for their own refusals.
OAUTH_FORM = ("/oauth2/authorize", "/oauth2/token", "/oauth2/revoke", "/oauth2/introspect")
OAUTH_JSON = ("/oauth2/register",)  # RFC 7591: OAuth's form at 400 and 403


def test_every_error_status_carries_the_envelope_and_its_codes():
    for _, path, op in operations():
        for status, response in op["responses"].items():
            if int(status) < 400 or (path in OAUTH_FORM and status in ("400", "401")):  # OAuth's own form
                continue
            if path in OAUTH_JSON and status in ("400", "403"):
                continue
            schema = _resolve(response)["content"]["application/json"]["schema"]
            assert schema["allOf"] == [{"$ref": "#/components/schemas/ErrorEnvelope"}]
            assert schema["properties"]["error"]["properties"]["code"]["enum"], (path, status)
    login = {status: _resolve(r) for status, r in DOC["paths"]["/v1/auth/login"]["post"]["responses"].items()}
    assert login["401"]["content"]["application/json"]["schema"]["properties"]["error"]["properties"]["code"][
        "enum"] == ["INVALID_CREDENTIALS"]
    assert login["423"]["headers"]["Retry-After"]["required"] is True


_VARIABLE = "<a shell variable>"


def _walkthrough_bodies() -> dict[str, list[dict]]:
    """The walk-throughs' curl bodies (Latchkey's and the modules'): path -> the bodies sent to it, shell
    variables (`$PW`, `$(...)`) as `_VARIABLE` except the password, which the page spells out once."""
    pages = [ROOT / "docs" / "getting-started" / "walkthrough.md", *ROOT.glob("examples/*/docs.md")]
    readme = "\n".join(page.read_text() for page in pages)  # Latchkey's, and each module's
    password = re.search(r"^PW='([^']+)'", readme, re.M)[1]
    found: dict[str, list[dict]] = {}
    for command in re.findall(r"curl -s[^\n]*(?:\\\n[^\n]*)*(?:\n  [^\n]*)*", readme):
        path = re.search(r"\$B(/[\w/.{}-]+)", command)
        body = re.search(r"""-d '(\{.*?\})'|-d "(\{.*?\})"(?:[\s)]|$)""", command, re.S)
        if not (path and body):
            continue
        text = body[1] or body[2].replace('\\"', '"')
        text = re.sub(r"\$\((?:[^()]|\([^()]*\))*\)", _VARIABLE, text).replace("$PW", password)
        text = re.sub(r"\$[A-Z_]+", _VARIABLE, text)
        found.setdefault(path[1], []).append(json.loads(text))
    return found


def _matches(example: dict, body: dict) -> bool:
    return example.keys() == body.keys() and all(body[k] in (_VARIABLE, example[k]) for k in body)


def test_request_examples_are_the_walkthroughs_and_fit_their_models():
    bodies = _walkthrough_bodies()
    matched = 0
    for name, operation in OPERATIONS.items():
        if operation.example is None:
            continue
        operation.body.model_validate(operation.example)
        paths = {r.path for r in TEMPLATE.routes() if r.function == FUNCTIONS[name].logical_id}
        sent = [body for path in paths for body in bodies.get(path, [])]
        assert sent, f"the walk-through sends no body to {name}'s route"
        assert any(_matches(operation.example, body) for body in sent), f"{name}'s example is not the walk-through's"
        matched += 1
    assert matched >= 10


def test_shared_shapes_are_referenced_not_inlined_and_the_size_is_stated():
    """Envelopes, error responses and shared headers are components, each operation refers to them;
    docs/reference/index.md states the document's size as committed and as served (compact)."""
    for _, path, op in operations():
        for status, response in op["responses"].items():
            if path in OAUTH_FORM and status in ("302", "400", "401"):
                continue
            if path in OAUTH_JSON and status in ("400", "403"):
                continue
            if int(status) >= 400:
                assert set(response) == {"$ref"}, (path, status)
            elif 300 <= int(status) < 400:  # a browser redirect (federation): a Location, no body
                assert set(response) == {"description", "headers"}, (path, status)
            elif path != "/openapi.json":
                assert set(response["content"]["application/json"]["schema"]) == {"$ref"}, (path, status)
        assert not [p for p in op.get("parameters", []) if p.get("in") == "header"], path  # headers: shared
    committed = len(DOCUMENT.read_bytes())
    served = len(json.dumps(DOC, separators=(",", ":"), ensure_ascii=False).encode())
    # About 9.8 KB an operation when each inlined its envelopes and error responses; shared, under half that.
    assert committed / len(list(operations())) < 5_000
    text = (ROOT / "docs" / "reference" / "index.md").read_text()
    stated = re.search(r"about ([\d.]+) KB of the document as committed and ([\d.]+) KB\sas served", text)
    assert stated, "docs/reference/index.md states the document's size an operation"
    count = len(list(operations()))  # an operation's share: the same with or without a module's routes
    assert abs(float(stated[1]) - committed / count / 1000) < 0.4, committed / count
    assert abs(float(stated[2]) - served / count / 1000) < 0.4, served / count


def test_the_jwks_answer_has_its_real_schema():
    schema = DOC["paths"]["/.well-known/jwks.json"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    jwks = DOC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    ec, rsa = (DOC["components"]["schemas"][item["$ref"].rsplit("/", 1)[1]]
               for item in jwks["properties"]["keys"]["items"]["anyOf"])
    assert set(ec["required"]) == set(ec["properties"]) == {"kty", "crv", "x", "y", "kid", "alg", "use"}
    assert ec["additionalProperties"] is False and ec["properties"]["alg"]["const"] == "ES256"
    assert set(rsa["required"]) == set(rsa["properties"]) == {"kty", "n", "e", "kid", "alg", "use"}
    assert rsa["additionalProperties"] is False and rsa["properties"]["alg"]["const"] == "RS256"
