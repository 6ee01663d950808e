"""The OpenAPI document: generated, never edited (committed == generated), valid OpenAPI 3.1, complete
(every route of the template and the route map, every function's models) and true to the README."""

from __future__ import annotations

import json
import re

import pytest
from openapi_spec_validator import validate

from contract.document import DOCUMENT, PUBLISHED, build, render
from contract.operations import OPERATIONS
from latchkey.edge import route_map
from local.template import ROOT, Template

DOC = json.loads(DOCUMENT.read_text())
TEMPLATE = Template.load()
FUNCTIONS = {f.code_dir.name: f for f in TEMPLATE.functions().values()}


def operations():
    return [(method.upper(), path, op) for path, ops in DOC["paths"].items() for method, op in ops.items()]


def test_the_committed_document_is_the_generated_one():
    generated = render()
    assert DOCUMENT.read_text() == generated, "run `python -m contract` and commit docs/openapi.json"
    assert PUBLISHED.read_text() == generated, "the deployed function's copy is stale: run `python -m contract`"


def test_the_document_is_valid_openapi_3_1():
    assert DOC["openapi"].startswith("3.1")
    validate(build())


def test_every_route_of_the_map_is_an_operation_and_back():
    assert {(m, p) for m, p, _ in operations()} == {(r.method, r.path) for r in route_map.ROUTES}
    assert {"/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/verify-2fa",
            "/api/v1/auth/logout"} <= set(DOC["paths"])


def test_every_function_but_the_authorizer_and_the_fallback_has_its_operation():
    assert set(OPERATIONS) == set(FUNCTIONS) - {"authorizer", "fallback"}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_each_handler_uses_the_models_its_operation_documents(name):
    source = (ROOT / "functions" / name / "app.py").read_text()
    operation = OPERATIONS[name]
    for model in (operation.body, operation.view):
        if model is not None:
            assert re.search(rf"\b{model.__name__}\b", source), f"{name} does not use {model.__name__}"


def test_security_states_each_routes_credentials_scope_and_role():
    for method, path, op in operations():
        route = route_map.find(method, path)
        if route_map.PUBLIC in route.callers:
            assert op["security"] == [], path
            continue
        schemes = {name for requirement in op["security"] for name in requirement}
        assert "accessToken" in schemes
        assert ({"apiKey", "apiKeyBearer"} <= schemes) is (route_map.API_KEY in route.callers), path
        if route.scope:
            assert op["x-scope"] == route.scope and {"apiKey": [route.scope]} in op["security"]
        assert "401" in op["responses"] and "403" in op["responses"]
    assert DOC["paths"]["/v1/public/candidates"]["post"]["x-role"] == "ADMIN"
    assert DOC["paths"]["/v1/assessments"]["post"]["security"] == [{"accessToken": ["ADMIN"]}]


def test_every_error_status_carries_the_envelope_and_its_codes():
    for _, path, op in operations():
        for status, response in op["responses"].items():
            if int(status) < 400:
                continue
            schema = response["content"]["application/json"]["schema"]
            assert schema["allOf"] == [{"$ref": "#/components/schemas/ErrorEnvelope"}]
            assert schema["properties"]["error"]["properties"]["code"]["enum"], (path, status)
    login = DOC["paths"]["/v1/auth/login"]["post"]["responses"]
    assert login["401"]["content"]["application/json"]["schema"]["properties"]["error"]["properties"]["code"][
        "enum"] == ["INVALID_CREDENTIALS"]
    assert login["423"]["headers"]["Retry-After"]["required"] is True


def _readme_bodies() -> dict[str, list[dict]]:
    """The README's curl lines with a literal JSON body: path -> the bodies sent to it."""
    found: dict[str, list[dict]] = {}
    readme = (ROOT / "README.md").read_text().replace("\\\n", " ")
    for line in readme.splitlines():
        match = re.search(r"curl .*\$B(/[\w/.{}-]+).*-d '(\{.*\})'", line)
        if match:
            found.setdefault(match[1], []).append(json.loads(match[2]))
    return found


def test_request_examples_are_the_readmes_and_fit_their_models():
    bodies = _readme_bodies()
    examples = 0
    for name, operation in OPERATIONS.items():
        if operation.example is None:
            continue
        operation.body.model_validate(operation.example)
        paths = {r.path for r in TEMPLATE.routes() if r.function == FUNCTIONS[name].logical_id}
        assert any(operation.example in bodies.get(path, []) for path in paths), f"{name}'s example is not the README's"
        examples += 1
    assert examples >= 10
