"""The functions validate bodies with the compiled schemas of `latchkey/edge/bodies.json`, not the
pydantic models: the file must be what the models give, and each compiled body must answer every
input as its model does (the same fields, or the same problems in words, in an order that may differ)."""

import json

import pytest
from pydantic import ValidationError as ModelError
from pydantic_core import ValidationError

from contract.bodies import compiled_models, render
from contract.operations import OPERATIONS
from latchkey.edge import bodies

MODELS = compiled_models()
WRONG = [None, 5, True, "", " ", "x" * 5000, "1", [], ["a", 1], {}, "not-an-email", "123456", "2030-01-31T12:00:00Z",
         "2030-01-31T12:00:00", "ADMIN", "a:b@c.de", "Ada\x00", "abcd-efgh-ijkl-mnop"]


def test_the_committed_file_is_what_the_models_give():
    assert bodies.SCHEMAS.read_text() == render(), "run `python -m contract` and commit latchkey/edge/bodies.json"


def test_every_body_model_is_compiled():
    assert set(json.loads(bodies.SCHEMAS.read_text())) == set(MODELS)


def _inputs(name: str) -> list[dict]:
    """The walk-through's example, then it with each field missing, each field wrong in every way above,
    and a field too many."""
    example = next((op.example for op in OPERATIONS.values() if op.body is MODELS[name] and op.example), None) or {}
    found = [example, {}, {**example, "admin": True}]
    for field in MODELS[name].model_fields:
        found.append({k: v for k, v in example.items() if k != field})
        found.extend({**example, field: value} for value in WRONG)
    return found


def _answer(validate, raw: bytes):
    try:
        return "ok", dict(validate(raw))
    except (ValidationError, ModelError) as error:
        # The same problems; a typed dict lists a missing field before an unknown one, a model after.
        return "refused", sorted(bodies.problems(error), key=lambda p: (p["field"], p["message"]))


@pytest.mark.parametrize("name", sorted(MODELS))
def test_a_compiled_body_answers_every_input_as_its_model_does(name):
    model, body = MODELS[name], bodies.compiled(name)
    for value in _inputs(name):
        raw = json.dumps(value).encode()
        expected = _answer(lambda r: model.model_validate_json(r).model_dump(), raw)
        assert _answer(body.parse, raw) == expected, value


def test_the_check_would_see_a_difference():
    """A compiled body that lost its strictness answers "1" for a boolean otherwise than its model."""
    loose = json.loads(bodies.SCHEMAS.read_text())["LogoutAllBody"]
    loose["config"]["strict"] = loose["strict"] = False
    raw = b'{"revokeApiKeys": "true"}'
    assert _answer(bodies.CompiledBody("LogoutAllBody", loose).parse, raw) != _answer(
        lambda r: MODELS["LogoutAllBody"].model_validate_json(r).model_dump(), raw)
