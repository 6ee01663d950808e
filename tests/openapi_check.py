"""Every response the end-to-end tests receive, held to the committed OpenAPI document: a documented
operation must answer a documented status with a body its schema admits. Paths the document does not
have (unknown routes, the docs page) only need the error envelope when they answer JSON errors."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from jsonschema import Draft202012Validator

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


class ContractViolation(AssertionError):
    pass


@functools.cache
def _document() -> dict:
    return json.loads(DOCUMENT.read_text())


@functools.cache
def _paths() -> list[tuple[re.Pattern, dict]]:
    found = []
    for template, operations in _document()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$")
        found.append((pattern, operations))
    return found


def resolve(node: dict) -> dict:
    """`node`, or what its `$ref` (`#/components/...`, a shared response or parameter) points at."""
    while "$ref" in node and len(node) == 1:
        node = _at(node["$ref"].removeprefix("#"))
    return node


def _at(pointer: str) -> dict:
    """The node at a JSON pointer into the document, the references on its way followed."""
    node: dict = _document()
    for part in pointer.strip("/").split("/"):
        node = resolve(node)[part.replace("~1", "/").replace("~0", "~")]
    return node


@functools.cache
def _validator(pointer: str) -> Draft202012Validator:
    """A validator for the schema at `pointer` in the document, its `#/components/...` refs resolved."""
    return Draft202012Validator({**_at(pointer), "components": _document()["components"]})


def check(method: str, path: str, status: int, content_type: str, body: bytes) -> None:
    if method.upper() == "HEAD":  # no body to hold to anything
        return
    path = path.split("?", 1)[0]
    operations = next((ops for pattern, ops in _paths() if pattern.match(path)), None)
    if operations is None or method.lower() not in operations:
        if content_type.startswith("application/json") and status >= 400:
            _admit("/components/schemas/ErrorEnvelope", body, f"{method} {path} -> {status}")
        return
    template = next(t for t, ops in _document()["paths"].items() if ops is operations)
    operation = operations[method.lower()]
    if str(status) not in operation["responses"]:
        raise ContractViolation(f"{method} {template} answered {status}, which the document does not list")
    if "content" not in operation["responses"][str(status)] and "$ref" not in operation["responses"][str(status)]:
        if body:
            raise ContractViolation(f"{method} {template} answered {status} with a body the document does not have")
        return  # a redirect: its Location, no body
    if not content_type.startswith("application/json"):
        raise ContractViolation(f"{method} {template} answered {status} as {content_type!r}, not application/json")
    escaped = template.replace("~", "~0").replace("/", "~1")
    pointer = f"/paths/{escaped}/{method.lower()}/responses/{status}/content/application~1json/schema"
    _admit(pointer, body, f"{method} {template} -> {status}")


def _admit(pointer: str, body: bytes, what: str) -> None:
    try:
        value = json.loads(body)
    except ValueError:
        raise ContractViolation(f"{what}: the body is not JSON") from None
    errors = sorted(_validator(pointer).iter_errors(value), key=lambda e: list(e.absolute_path))
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path) or "(body)"
        raise ContractViolation(f"{what}: at {where}: {errors[0].message}")
