"""The layer's architecture (pyproject.toml's import-linter contracts) holds, and the contracts bite:
a planted violation breaks them. What import-linter cannot see is checked here too: the functions
(functions/*/app.py, not a package) import only the edge, the use cases and the leaves, never a store
or an AWS SDK; and only the stores import Powertools Parameters (it pulls boto3)."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support import ROOT

LAYER = ROOT / "layers" / "latchkey"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(layer: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(layer)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_layers_import_contracts_are_kept():
    result = lint_imports(LAYER)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "7 kept, 0 broken" in result.stdout


def test_a_use_case_that_imports_botocore_or_a_store_that_imports_the_edge_breaks_them(tmp_path):
    shutil.copytree(LAYER / "latchkey", tmp_path / "latchkey")
    (tmp_path / "latchkey" / "usecases" / "planted.py").write_text('"""Planted."""\nimport botocore  # noqa\n')
    (tmp_path / "latchkey" / "store" / "planted.py").write_text('"""Planted."""\nfrom latchkey.edge import http\n')
    (tmp_path / "latchkey" / "rules" / "planted.py").write_text('"""Planted."""\nfrom latchkey import settings\n')
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    for contract in ("Only stores import boto3 or botocore BROKEN", "Stores import no use case and nothing from the "
                     "edge BROKEN", "Pure rules import nothing of ours but the errors BROKEN"):
        assert contract in result.stdout, result.stdout


def planted(tmp_path: Path, plants: dict[str, str]) -> subprocess.CompletedProcess:
    """lint-imports over a copy of the layer with a line added to each of these modules (paths under
    latchkey/usecases/; a module that does not exist is created)."""
    shutil.copytree(LAYER / "latchkey", tmp_path / "latchkey")
    for module, line in plants.items():
        path = tmp_path / "latchkey" / "usecases" / module
        path.write_text((path.read_text() if path.exists() else '"""Planted."""\n') + line + "  # noqa\n")
    return lint_imports(tmp_path)


def test_a_circle_between_two_core_use_cases_breaks_them(tmp_path):
    # accounts and two_factor share a tier that allows imports between siblings (two_factor builds on
    # accounts): the tiers hold, but the circle does not pass, even hidden in a function body.
    result = planted(tmp_path, {"accounts.py": "\ndef planted():\n    from latchkey.usecases import two_factor"})
    assert result.returncode != 0
    assert "Use cases in tiers: workers, flows, core, base KEPT" in result.stdout, result.stdout
    assert "No circles: no two siblings import each other, at any depth BROKEN" in result.stdout, result.stdout
    assert "latchkey.usecases" in result.stdout.split("Broken contracts")[1]


def test_a_tier_inversion_or_an_untiered_use_case_breaks_them(tmp_path):
    # A core use case calling a flow (no circle: nothing of the flow's imports sessions back but through
    # this); a base one calling its sibling; a new module given no tier.
    result = planted(tmp_path, {"sessions.py": "from latchkey.usecases import invitations",
                                "audit.py": "from latchkey.usecases import request_limits",
                                "untiered.py": "from latchkey.usecases import audit"})
    assert result.returncode != 0
    assert "Use cases in tiers: workers, flows, core, base BROKEN" in result.stdout, result.stdout
    broken = result.stdout.split("Broken contracts")[1]
    for reported in ("latchkey.usecases.sessions -> latchkey.usecases.invitations",
                     "latchkey.usecases.audit -> latchkey.usecases.request_limits", "latchkey.usecases.untiered"):
        assert reported in broken, broken


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_handlers_import_no_aws_sdk():
    for app in (ROOT / "functions").glob("*/app.py"):
        sdk = {m for m in imported_modules(app) if m.split(".")[0] in ("boto3", "botocore")}
        assert not sdk, (app, sdk)


def test_only_stores_import_powertools_parameters():
    readers = {p.relative_to(LAYER).as_posix() for p in (LAYER / "latchkey").rglob("*.py")
               if any(m.startswith("aws_lambda_powertools.utilities.parameters") for m in imported_modules(p))}
    readers |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "functions").glob("*/app.py")
                if any(m.startswith("aws_lambda_powertools.utilities.parameters") for m in imported_modules(p))}
    # None today: the stores read secrets with boto3's own client (store/secrets.py says why).
    assert all(r.startswith("latchkey/store/") for r in readers), readers


# What the functions may import of the layer: the edge, the use cases, and the leaves everyone reads.
FUNCTIONS_MAY_IMPORT = ("latchkey.edge", "latchkey.usecases", "latchkey.errors", "latchkey.logs", "latchkey.settings")
# And by name, with the reason: the authorizer counts its denies and failures itself (it has no
# `api_handler`); metrics writes EMF lines to stdout, no AWS call and no SDK.
FUNCTIONS_MAY_ALSO_IMPORT = {("authorizer", "latchkey.store.metrics")}


def function_imports(app: Path) -> set[str]:
    """Every name a function's app.py imports, in full (`from a.b import c` is a.b.c), wherever the
    import statement stands (a function body's count too)."""
    names = set()
    for node in ast.walk(ast.parse(app.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def functions_breaking_the_rule(functions: Path) -> dict[str, set[str]]:
    """function -> what it imports that it may not: a store (a use case's job), boto3 or botocore."""
    broken = {}
    for app in sorted(functions.glob("*/app.py")):
        name = app.parent.name
        refused = {m for m in function_imports(app)
                   if (m.split(".")[0] == "latchkey" and not m.startswith(tuple(f"{p}." for p in FUNCTIONS_MAY_IMPORT))
                       and (name, m) not in FUNCTIONS_MAY_ALSO_IMPORT)
                   or m.split(".")[0] in ("boto3", "botocore")}
        if refused:
            broken[name] = refused
    return broken


def test_functions_import_only_the_edge_the_use_cases_and_the_leaves():
    assert functions_breaking_the_rule(ROOT / "functions") == {}


def test_a_function_that_imports_a_store_or_boto3_breaks_the_rule(tmp_path):
    shutil.copytree(ROOT / "functions" / "login", tmp_path / "login")
    shutil.copytree(ROOT / "functions" / "authorizer", tmp_path / "authorizer")
    app = tmp_path / "login" / "app.py"
    app.write_text(app.read_text() + "\n\ndef planted():\n    from latchkey.store import accounts_table, metrics\n"
                   "    import boto3\n")
    assert functions_breaking_the_rule(tmp_path) == {
        "login": {"latchkey.store.accounts_table", "latchkey.store.metrics", "boto3"}}

