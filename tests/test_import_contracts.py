"""The layer's architecture (pyproject.toml's import-linter contracts) holds, and the contracts bite:
a planted violation breaks them. What import-linter cannot see is checked here too: the functions
import no AWS SDK, and only the stores import Powertools Parameters (it pulls boto3)."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

LAYER = ROOT / "layers" / "latchkey"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(layer: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(layer)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_layers_import_contracts_are_kept():
    result = lint_imports(LAYER)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 kept, 0 broken" in result.stdout


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
