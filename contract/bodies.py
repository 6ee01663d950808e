"""Each request body model, compiled ahead of time to the pydantic-core schema its validator runs:
`latchkey/edge/bodies.json`, which the functions validate bodies with (`latchkey.edge.bodies`).
Written by `python -m contract` with the OpenAPI document; tests hold the file equal to what the
models give, and each compiled body's answers equal to its model's."""

from __future__ import annotations

import json
from typing import Any

from api.route import Answers
from contract.operations import OPERATIONS
from latchkey.edge import bodies


def compile_model(model: type) -> dict:
    """`model`'s core schema as a typed dict (the function reads fields, not a model instance),
    without what only pydantic's model machinery reads (its metadata, refs and serializers)."""
    model.model_rebuild()  # bodies are built on first use (defer_build)
    return _typed_dict(model.__pydantic_core_schema__)


def compiled_models() -> dict[str, type]:
    """The body models that are compiled, by name: not RFC 7591's metadata (Answers.OAUTH_JSON), which its
    function reads as the RFC asks, unknown fields ignored."""
    return {op.body.__name__: op.body for op in OPERATIONS.values()
            if op.body is not None and op.answers is not Answers.OAUTH_JSON}


def render() -> str:
    found = compiled_models()
    return json.dumps({name: compile_model(model) for name, model in sorted(found.items())}, indent=1) + "\n"


def _typed_dict(schema: dict) -> dict:
    if schema["type"] != "model" or schema["schema"]["type"] != "model-fields":
        raise TypeError(f"not a plain model: {schema.get('type')}")
    config = schema["config"]
    fields = {name: {"type": "typed-dict-field", "schema": _plain(field["schema"]),
                     "required": field["schema"]["type"] != "default"}
              for name, field in schema["schema"]["fields"].items()}
    # The model's config (strict, extra fields forbidden) is the default of every field's validator too.
    return {"type": "typed-dict", "fields": fields, "strict": config["strict"],
            "extra_behavior": config["extra_fields_behavior"], "config": dict(config)}


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get("type") == "model":
            return _typed_dict(node)
        return {key: _plain(value) for key, value in node.items() if key not in ("metadata", "ref", "serialization")}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    if callable(node):
        name = next((n for n, f in bodies.FUNCTIONS.items() if f is node), None)
        if name is None:
            raise TypeError(f"{node!r} is not in latchkey.edge.bodies.FUNCTIONS")
        return {"$function": name}
    if node is None or isinstance(node, (str, int, float, bool)):
        return node
    raise TypeError(f"{node!r} has no JSON form")
