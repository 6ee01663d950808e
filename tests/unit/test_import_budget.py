"""What a cold start loads: the authorizer, the fallback and the document's function never import
pydantic (or msgspec, which is gone); the body-taking functions do, and only their area's models."""

import json
import subprocess
import sys

import pytest

from local.template import ROOT

_PROBE = """
import json, sys
sys.path[:0] = [{code!r}, {layer!r}]
import app
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("pydantic", "msgspec", "latchkey"))))
"""


def loaded(function: str) -> list[str]:
    code = _PROBE.format(code=str(ROOT / "functions" / function), layer=str(ROOT / "layers" / "latchkey"))
    env = {"AWS_DEFAULT_REGION": "us-east-1", "PATH": ""}
    out = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout)


@pytest.mark.parametrize("function", ["authorizer", "fallback", "openapi"])
def test_these_functions_never_load_pydantic(function):
    modules = loaded(function)
    assert not [m for m in modules if m.startswith(("pydantic", "msgspec"))]
    assert "latchkey.edge.schemas" not in modules


def test_a_function_builds_only_its_areas_models():
    modules = loaded("login")
    assert "pydantic" in modules and "latchkey.edge.schemas.auth" in modules
    assert "latchkey.edge.schemas.candidates" not in modules and "latchkey.edge.schemas.two_factor" not in modules


def test_the_authorizer_never_loads_powertools():
    """Its log lines come from `edge.authorizer_logs`: Powertools' import is a third of its cold-start allowance."""
    assert not [m for m in loaded("authorizer") if m.startswith("aws_lambda_powertools")]
